"""Answer quality through the ``strategy-bot ask`` stdin/JSON contract.

Every question of ``tests/questions.yaml`` is sent, one a line, to ``strategy-bot ask`` (a real
subprocess reading standard input); each JSON reply is checked against the question's expected
kind, answered flag, facts, source and suggestions. Prints accuracy per expected kind and overall.

    .venv/bin/python benchmarks/answer_quality.py            # builds a fresh database from the data
    .venv/bin/python benchmarks/answer_quality.py --db PATH  # or uses an existing one
    .venv/bin/python benchmarks/answer_quality.py -v         # and lists every failure
    .venv/bin/python benchmarks/answer_quality.py --blind    # the blind batches (benchmarks/blind/)
    .venv/bin/python benchmarks/answer_quality.py --blind --record   # and note first tries

Exit status 1 when overall accuracy is below 95 % or any out-of-scope question is answered.

Blind batches (``benchmarks/blind/*.yaml``) are written from the document by people who never saw
the matcher; each question says ``expect: answer | decline | clarify`` with the ``facts`` (all) and
``any`` (one of) a correct reply contains. ``--record`` adds a batch's score to the first-try table
in ``benchmarks/blind/README.md`` the first time it is measured, and never changes a recorded row.
The test suite (tests/test_answer_quality.py) applies the same checks through click's CliRunner.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "questions.yaml"
BLIND = ROOT / "benchmarks" / "blind"
BLIND_README = BLIND / "README.md"
DECLINE_KINDS = {"out_of_scope", "fallback"}
REQUIRED_ACCURACY = 0.95
NOT_ANSWERED_KINDS = {"help", "greeting", "out_of_scope", "fallback"}
_DIGIT = re.compile(r"[0-9]")


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["questions"])


def squash(text: str | None) -> str:
    """Compare texts as a reader would: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@dataclass
class Result:
    question: dict[str, Any]
    reply: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def expected_kind(self) -> str:
        kind = self.question["kind"]
        return kind if isinstance(kind, str) else "/".join(kind)


# 「7,000以上」 as the document's table prints it (the unit in its own column) is the same figure
# as the reply's 「7,000人以上」: a bound's figure may carry its unit between number and bound
_BOUND = re.compile(r"^([0-9][0-9,.]*)(以上|以下|未満|超)$")


def has_fact(fact: str, text: str) -> bool:
    """Whether a squashed reply ``text`` states ``fact``."""
    fact = squash(fact)
    bound = _BOUND.match(fact)
    if bound is None:
        return fact in text
    number, word = map(re.escape, bound.groups())
    return re.search(rf"(?<![0-9,.]){number}[^0-9\s]{{0,4}}?{word}", text) is not None


def missing_facts(question: dict[str, Any], text: str) -> list[str]:
    """What a squashed reply ``text`` lacks of the question's ``facts`` (all) and ``any`` (one)."""
    problems = [
        f"missing fact {fact!r}" for fact in question.get("facts") or [] if not has_fact(str(fact), text)
    ]
    alternatives = question.get("any") or []
    if alternatives and not any(has_fact(str(a), text) for a in alternatives):
        problems.append(f"none of {alternatives!r}")
    return problems


def check(question: dict[str, Any], reply: dict[str, Any]) -> Result:
    """Compare one reply with what the question expects."""
    result = Result(question, reply)
    kinds = question["kind"] if isinstance(question["kind"], list) else [question["kind"]]
    out_of_scope = kinds == ["out_of_scope"]
    text = squash(reply.get("text"))
    if out_of_scope:
        if reply.get("answered"):
            result.problems.append("out-of-scope question answered")
        if reply.get("kind") not in ("out_of_scope", "fallback"):
            result.problems.append(f"kind {reply.get('kind')!r}, expected a decline")
        if _DIGIT.search(text):
            result.problems.append("a decline states a figure")
        return result
    # answered is true exactly when the reply states strategy facts: implied by the kind received
    implied = reply.get("kind") not in NOT_ANSWERED_KINDS if reply.get("kind") in kinds else None
    expected_answered = question.get(
        "answered", implied if implied is not None else not set(kinds) <= NOT_ANSWERED_KINDS
    )
    if bool(reply.get("answered")) != expected_answered:
        result.problems.append(f"answered={reply.get('answered')}, expected {expected_answered}")
    if reply.get("kind") not in kinds:
        result.problems.append(f"kind {reply.get('kind')!r}, expected {kinds}")
    result.problems += missing_facts(question, text)
    sources = question.get("source")
    if sources:
        wanted = [sources] if isinstance(sources, str) else list(sources)
        src = squash(reply.get("source"))
        if not any(squash(s) in src for s in wanted):
            result.problems.append(f"source {reply.get('source')!r}, expected {wanted}")
    suggests = question.get("suggests")
    if suggests and not any(squash(suggests) in squash(s) for s in reply.get("suggestions") or []):
        result.problems.append(f"no suggestion mentions {suggests!r}")
    return result


_JAPANESE = re.compile(r"[ぁ-ゖァ-ヺ一-鿿]")


def in_english(text: str | None) -> bool:
    """The reply's first line is English (Japanese may follow, quoted under an English heading)."""
    first = (text or "").strip().split("\n", 1)[0]
    return bool(re.search(r"[A-Za-z]{3}", first)) and len(_JAPANESE.findall(first)) <= len(first) // 4


def check_blind(question: dict[str, Any], reply: dict[str, Any], *, english: bool = False) -> Result:
    """A blind question: answered with its facts, or declined, as it expects. ``english``: the
    question was asked in English and the reply must be in English too."""
    result = Result({**question, "kind": question.get("topic") or question["expect"]}, reply)
    expect = question["expect"]
    text = squash(reply.get("text"))
    if english and not in_english(reply.get("text")):
        result.problems.append("reply not in English")
    if expect == "decline":
        if reply.get("answered") or reply.get("kind") not in DECLINE_KINDS:
            result.problems.append(f"answered as {reply.get('kind')!r}, expected a decline")
        elif _DIGIT.search(text):
            result.problems.append("a decline states a figure")
        return result
    if expect == "clarify":
        if reply.get("kind") != "clarify":
            result.problems.append(f"kind {reply.get('kind')!r}, expected a question back")
        return result
    if not reply.get("answered"):
        result.problems.append(f"not answered ({reply.get('kind')})")
    result.problems += missing_facts(question, text)
    return result


def _blind_sets(key: str, directory: Path) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if key in data:
            out[path.stem] = list(data[key])
    return out


def blind_batches(directory: Path = BLIND) -> dict[str, list[dict[str, Any]]]:
    """Every single-question batch under ``benchmarks/blind/``, by file stem."""
    return _blind_sets("questions", directory)


def blind_dialogues(directory: Path = BLIND) -> dict[str, list[dict[str, Any]]]:
    """Every conversation set under ``benchmarks/blind/`` (files with ``dialogues``), by file stem."""
    return _blind_sets("dialogues", directory)


def ask_conversations(dialogues: list[dict[str, Any]], db_path: Path) -> list[list[dict[str, Any]]]:
    """Run ``strategy-bot ask --conversation`` once: dialogues separated by empty lines."""
    lines = [line for d in dialogues for line in ["", *(t["q"] for t in d["turns"])]]
    replies = ask_subprocess(lines, db_path, "--conversation")
    out, i = [], 0
    for d in dialogues:
        out.append(replies[i : i + len(d["turns"])])
        i += len(d["turns"])
    return out


def score_dialogues(dialogues: list[dict[str, Any]], replies: list[list[dict[str, Any]]]) -> list[Result]:
    """Every turn checked like a blind question; each result's question notes its turn number."""
    results = []
    for d, rs in zip(dialogues, replies, strict=True):
        for n, (t, r) in enumerate(zip(d["turns"], rs, strict=True)):
            english = not _JAPANESE.search(t["q"])
            result = check_blind({**t, "topic": "follow-up" if n else "first turn"}, r, english=english)
            result.question["turn"] = n
            results.append(result)
    return results


def blind_summary(results: list[Result]) -> tuple[int, int, int, int]:
    """(passed, total, declines right, declines expected)."""
    declines = [r for r in results if r.question["expect"] == "decline"]
    return (
        sum(r.ok for r in results),
        len(results),
        sum(r.ok for r in declines),
        len(declines),
    )


def record_first_try(batch: str, results: list[Result], readme: Path = BLIND_README) -> bool:
    """Add the batch's first-try row to the README table unless it has one; True when added."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if f"| {batch} |" in text:
        return False
    passed, total, oos_ok, oos = blind_summary(results)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    import datetime as dt

    row = (
        f"| {batch} | {dt.date.today().isoformat()} | {commit} | {total} | {passed / total:.1%} "
        f"| {oos_ok}/{oos} |\n"
    )
    readme.write_text(text.rstrip("\n") + "\n" + row, encoding="utf-8")
    return True


def evaluate(questions: list[dict[str, Any]], replies: list[dict[str, Any]]) -> list[Result]:
    if len(questions) != len(replies):
        raise ValueError(f"{len(questions)} questions but {len(replies)} replies")
    return [check(q, r) for q, r in zip(questions, replies, strict=True)]


def summary(results: list[Result]) -> dict[str, Any]:
    per_kind: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        per_kind[r.expected_kind].append(r.ok)
    total = len(results)
    passed = sum(r.ok for r in results)
    oos_answered = [
        r for r in results if r.question["kind"] == "out_of_scope" and bool(r.reply.get("answered"))
    ]
    return {
        "per_kind": {k: (sum(v), len(v)) for k, v in sorted(per_kind.items())},
        "passed": passed,
        "total": total,
        "accuracy": passed / total if total else 0.0,
        "out_of_scope_answered": len(oos_answered),
    }


def report(results: list[Result], *, verbose: bool = False) -> str:
    s = summary(results)
    lines = ["answer quality (strategy-bot ask, stdin JSON contract)", ""]
    lines.append(f"{'kind':<18}{'passed':>8}{'total':>8}{'accuracy':>11}")
    for kind, (ok, n) in s["per_kind"].items():
        lines.append(f"{kind:<18}{ok:>8}{n:>8}{ok / n:>10.1%}")
    lines.append(f"{'overall':<18}{s['passed']:>8}{s['total']:>8}{s['accuracy']:>10.1%}")
    lines.append(f"out-of-scope questions answered: {s['out_of_scope_answered']}")
    failures = [r for r in results if not r.ok]
    if failures and verbose:
        lines += ["", "failures:"]
        for r in failures:
            lines.append(f"- {r.question['q']}  [{r.reply.get('kind')}] {'; '.join(r.problems)}")
            lines.append("    " + (r.reply.get("text") or "").replace("\n", " / ")[:200])
    return "\n".join(lines)


def passes(results: list[Result]) -> bool:
    s = summary(results)
    return s["accuracy"] >= REQUIRED_ACCURACY and s["out_of_scope_answered"] == 0


def build_database(directory: Path) -> Path:
    path = directory / "strategy.db"
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "load-data", "--db", str(path), "--quiet"], check=True, cwd=ROOT
    )
    return path


def ask_subprocess(questions: list[str], db_path: Path, *extra: str) -> list[dict[str, Any]]:
    """Run ``strategy-bot ask --db PATH`` once, questions on stdin, one JSON reply a line
    (``extra``: more options, such as ``--conversation``, where an empty line starts a new one)."""
    stdin = "".join(q.replace("\n", " ") + "\n" for q in questions)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--db", str(db_path), *extra],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        cwd=ROOT,
    )
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="use this database instead of building a fresh one")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failure")
    parser.add_argument("--blind", action="store_true", help="score the blind batches instead")
    parser.add_argument("--record", action="store_true", help="with --blind: record first tries")
    parser.add_argument("--batch", help="with --blind: only this batch (file stem)")
    args = parser.parse_args(argv)
    if args.blind:
        return main_blind(args)
    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or build_database(Path(tmp))
        replies = ask_subprocess([q["q"] for q in questions], db_path)
    results = evaluate(questions, replies)
    print(report(results, verbose=args.verbose))
    return 0 if passes(results) else 1


def print_failures(results: list[Result]) -> None:
    for r in results:
        if not r.ok:
            turn = f"[{r.question['turn']}] " if "turn" in r.question else ""
            print(f"  - {turn}{r.question['q']}  [{r.reply.get('kind')}] {'; '.join(r.problems)}")
            print("      " + (r.reply.get("text") or "").replace("\n", " / ")[:160])


def main_blind(args: argparse.Namespace) -> int:
    batches = blind_batches()
    if args.batch:
        batches = {k: v for k, v in batches.items() if k == args.batch}
    print("blind batches (strategy-bot ask, stdin JSON contract)\n")
    print(f"{'batch':<22}{'passed':>8}{'total':>8}{'accuracy':>11}{'declined':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or build_database(Path(tmp))
        for name, questions in batches.items():
            replies = ask_subprocess([q["q"] for q in questions], db_path)
            english = name.startswith("english")
            results = [check_blind(q, r, english=english) for q, r in zip(questions, replies, strict=True)]
            passed, total, oos_ok, oos = blind_summary(results)
            print(f"{name:<22}{passed:>8}{total:>8}{passed / total:>10.1%}{f'{oos_ok}/{oos}':>12}")
            if args.record and record_first_try(name, results):
                print(f"  first try of {name} recorded in {BLIND_README.relative_to(ROOT)}")
            if args.verbose:
                print_failures(results)
        for name, dialogues in blind_dialogues().items():
            if args.batch and name != args.batch:
                continue
            results = score_dialogues(dialogues, ask_conversations(dialogues, db_path))
            follow = [r for r in results if r.question["turn"] > 0]
            ok = sum(r.ok for r in follow)
            print(f"{name:<22}{ok:>8}{len(follow):>8}{ok / len(follow):>10.1%}   (follow-up turns)")
            every = sum(r.ok for r in results)
            print(f"{'':<22}{every:>8}{len(results):>8}{every / len(results):>10.1%}   (all turns)")
            if args.record and record_first_try(name, follow):
                print(f"  first try of {name} recorded in {BLIND_README.relative_to(ROOT)}")
            if args.verbose:
                print_failures(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
