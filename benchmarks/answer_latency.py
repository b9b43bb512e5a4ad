"""Answer latency: time per answer (warm) and time from process start to the first answer.

    .venv/bin/python benchmarks/answer_latency.py            # builds a fresh database
    .venv/bin/python benchmarks/answer_latency.py --db PATH  # or uses an existing one

- warm: one ``Answerer`` answers every question of tests/questions.yaml ``--rounds`` times;
  mean, median, p95, p99 and max per answer. Goals: mean under 2 ms, p99 under 5 ms.
- first answer: a new Python process imports the pipeline, opens the database, builds the index,
  answers one question and exits; wall time measured from before the process is spawned, median of
  ``--starts`` runs. Measured for the library path and for the real ``strategy-bot ask`` command,
  the first run without the analysis cache (``load-data`` prepares it; a database built by other
  means lacks it until the first start) and then with it.
  Goal: under 1 s.
Ratios are figure / goal (below 1.0 meets the goal).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "questions.yaml"
P99_GOAL_MS = 5.0
MEAN_GOAL_MS = 2.0
FIRST_GOAL_S = 1.0

LIBRARY_SCRIPT = """
import sys
from handlers.dispatch import Answerer
from handlers.reply import Query
from strategy_data.database import connect
db = connect(sys.argv[1])
print(Answerer(db).answer(Query(text="待機児童の目標は？")).kind)
"""


def _percentile(sorted_values: list[float], p: float) -> float:
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def warm(db_path: Path, rounds: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from handlers.dispatch import Answerer
    from handlers.reply import Query
    from strategy_data.database import connect

    questions = [q["q"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]]
    db = connect(db_path)
    answerer = Answerer(db)
    for q in questions:  # warm up caches (sentence analyses, SQLite pages)
        answerer.answer(Query(text=q))
    times: list[float] = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            answerer.answer(Query(text=q))
            times.append((time.perf_counter() - start) * 1000)
    db.close()
    times.sort()
    return {
        "answers": len(times),
        "median_ms": statistics.median(times),
        "mean_ms": statistics.fmean(times),
        "p95_ms": _percentile(times, 95),
        "p99_ms": _percentile(times, 99),
        "max_ms": times[-1],
    }


def _clear_cache(db_path: Path) -> None:
    import sqlite3

    con = sqlite3.connect(db_path)
    try:
        con.execute("DROP TABLE IF EXISTS answer_analysis_cache")
        con.commit()
    finally:
        con.close()


def first_answer(db_path: Path, starts: int, command: list[str]) -> tuple[float, float]:
    """(seconds without the analysis cache, median seconds with it)."""

    def once() -> float:
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
        return time.perf_counter() - start

    _clear_cache(db_path)
    cold = once()
    return cold, statistics.median(once() for _ in range(starts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="database to copy (default: build a fresh one)")
    parser.add_argument("--rounds", type=int, default=5, help="warm rounds over the question set")
    parser.add_argument("--starts", type=int, default=5, help="process starts to time")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "strategy.db"
        if args.db:
            shutil.copyfile(args.db, db_path)
        else:
            subprocess.run(
                [sys.executable, "-m", "bot.cli", "load-data", "--db", str(db_path), "--quiet"],
                check=True,
                cwd=ROOT,
            )
        lib_cold, lib_warm = first_answer(
            db_path, args.starts, [sys.executable, "-c", LIBRARY_SCRIPT, str(db_path)]
        )
        cli = [sys.executable, "-m", "bot.cli", "ask", "--db", str(db_path), "待機児童の目標は？"]
        cli_cold, cli_warm = first_answer(db_path, args.starts, cli)
        w = warm(db_path, args.rounds)
    print("answer latency")
    print("")
    print(f"warm, {w['answers']} answers ({args.rounds} rounds over {QUESTIONS.name}):")
    print(f"  mean {w['mean_ms']:.2f} ms   median {w['median_ms']:.2f} ms   p95 {w['p95_ms']:.2f} ms", end="")
    print(f"   p99 {w['p99_ms']:.2f} ms   max {w['max_ms']:.2f} ms")
    print(f"  p99 / goal ({P99_GOAL_MS:.0f} ms) = {w['p99_ms'] / P99_GOAL_MS:.2f}", end="")
    print(f"   mean / goal ({MEAN_GOAL_MS:.0f} ms) = {w['mean_ms'] / MEAN_GOAL_MS:.2f}")
    print(f"process start to first answer (median of {args.starts}; first run without the analysis cache):")
    for label, cold, warm_s in (
        ("library         ", lib_cold, lib_warm),
        ("strategy-bot ask", cli_cold, cli_warm),
    ):
        print(f"  {label} {warm_s:.3f} s   (no cache: {cold:.3f} s)   ratio {warm_s / FIRST_GOAL_S:.2f}")
    ok = w["p99_ms"] < P99_GOAL_MS and w["mean_ms"] < MEAN_GOAL_MS and lib_warm < FIRST_GOAL_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
