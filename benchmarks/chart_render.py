"""Chart rendering: time to draw one KPI chart cold (a new data version) and cached.

Usage: python benchmarks/chart_render.py [--rounds N]. Builds its own database in a temporary folder;
prints medians in milliseconds and their ratio. Cold rounds change a staff actual before each draw,
so every one is a real render; the first (matplotlib import and font load) is reported apart.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bot.charts.service import Charts
from strategy_data.database import build, connect
from strategy_data.loader import load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(Path(tmp) / "strategy.db")
        build(db, load())
        charts = Charts()
        t0 = time.perf_counter()
        charts.kpi(db, "tourism-spending")
        first = time.perf_counter() - t0

        cold, cached, overview = [], [], []
        for i in range(args.rounds):
            db.execute(
                "INSERT OR REPLACE INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
                " VALUES ('tourism-spending', 2021, ?, NULL, 'bench', '2024-01-01T00:00:00+09:00')",
                [760 + i],
            )
            db.conn.commit()
            t = time.perf_counter()
            charts.kpi(db, "tourism-spending")
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            charts.overview(db)
            overview.append(time.perf_counter() - t)
            for _ in range(5):
                t = time.perf_counter()
                charts.kpi(db, "tourism-spending")
                cached.append(time.perf_counter() - t)
        db.close()

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"first chart in a new process (imports matplotlib, loads the font): {first * 1000:.0f} ms")
    print(f"KPI chart cold (new data version), median of {len(cold)}: {ms(cold):.1f} ms")
    print(f"overview chart cold, median of {len(overview)}: {ms(overview):.1f} ms")
    print(f"KPI chart cached (version check + memory), median of {len(cached)}: {ms(cached):.3f} ms")
    print(f"cold / cached: {ms(cold) / ms(cached):.0f}x")


if __name__ == "__main__":
    main()
