"""Charts: the figures they draw, PNG size, the version-keyed cache and the lazy matplotlib import."""

from __future__ import annotations

import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import time_machine

from bot.charts import style
from bot.charts.data import UnknownKpi, data_version, kpi_series, overview_facts
from bot.charts.service import ChartCache, Charts
from strategy_data.database import build, connect
from strategy_data.loader import load


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def add_actual(db, kpi_id: str, year: int, value: float) -> None:
    db.execute(
        "INSERT OR REPLACE INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
        " VALUES (?, ?, ?, NULL, 'test-staff', '2024-05-01T09:00:00+09:00')",
        [kpi_id, year, value],
    )
    db.conn.commit()


@pytest.fixture
def db(built_db_path: Path):
    conn = connect(built_db_path)
    yield conn
    conn.close()


def test_kpi_chart_is_a_phone_width_png(db) -> None:
    image = Charts().kpi(db, "tourism-spending")
    assert png_size(image.png) == (1040, 520)
    assert image.etag.startswith('"') and image.etag.endswith('"')


def test_overview_chart_has_one_row_per_kpi(db) -> None:
    image = Charts().overview(db)
    width, height = png_size(image.png)
    assert width == 1040 and height > 520
    assert len(overview_facts(db)) == 17
    assert len(overview_facts(db, goal=1)) < 17


def test_trend_draws_series_baseline_target_and_dashed_path(db) -> None:
    from bot.charts import kpi_chart

    add_actual(db, "tourism-spending", 2021, 780)
    series = kpi_series(db, "tourism-spending")
    assert [p.year for p in series.staff] == [2021]
    fig = kpi_chart.draw(series)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    path = lines["基準値から目標値への計画の線"]
    assert path.get_linestyle() == "--"
    f = series.facts
    assert list(path.get_xdata()) == [f.baseline_year, f.target_year]
    assert list(path.get_ydata()) == [f.baseline_value, f.target_value]
    assert list(lines["第2期の実績（市が登録）"].get_ydata()) == [780]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "基準値 735" in texts and "目標値 852" in texts and "R5(2023)" in texts
    assert ax.get_ylabel() == "単位：億円"
    assert "観光消費額の推移" in " ".join(t.get_text() for t in fig.texts)


def test_target_below_baseline_is_drawn_going_down(db) -> None:
    from bot.charts import kpi_chart

    series = kpi_series(db, "waiting-children")
    assert series.first_term, "the first-term series of 待機児童数 is printed in the strategy"
    ax = kpi_chart.draw(series).axes[0]
    path = next(line for line in ax.get_lines() if line.get_linestyle() == "--")
    start, end = path.get_ydata()
    assert start > end
    low, high = ax.get_ylim()
    assert low < 0 <= end < start < high  # the target 0 is inside the picture, not on its edge


def test_overview_bars_are_coloured_by_status(db) -> None:
    from bot.charts import overview_chart

    add_actual(db, "tourism-spending", 2021, 780)  # 遅れ
    add_actual(db, "waiting-children", 2023, 0)  # 達成
    facts = overview_facts(db)
    ax = overview_chart.draw(facts, "t").axes[0]
    colors = {tuple(round(c, 3) for c in bar.get_facecolor()[:3]) for bar in ax.patches}
    from matplotlib.colors import to_rgb

    assert tuple(round(c, 3) for c in to_rgb(style.STATUS_COLORS["遅れ"])) in colors
    assert tuple(round(c, 3) for c in to_rgb(style.STATUS_COLORS["達成"])) in colors
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "市内総生産" and len(labels) == 17
    assert "結婚・子育て応援サイトの\nアクセス数" in labels  # long names on two lines


def test_cache_serves_until_the_data_changes(db) -> None:
    charts = Charts()
    first = charts.kpi(db, "births")
    again = charts.kpi(db, "births")
    assert again.png is first.png and charts.cache.renders == 1
    assert charts.kpi_etag(db, "births") == first.etag
    add_actual(db, "births", 2021, 6500)
    changed = charts.kpi(db, "births")
    assert changed.etag != first.etag and changed.png != first.png
    assert charts.cache.renders == 2


def test_version_changes_on_rebuild_and_on_any_actual_change(db) -> None:
    v0 = data_version(db)
    add_actual(db, "births", 2021, 6500)
    v1 = data_version(db)
    add_actual(db, "births", 2021, 6600)  # same row, new value
    v2 = data_version(db)
    db.execute("DELETE FROM kpi_actuals")
    db.conn.commit()
    assert len({v0, v1, v2}) == 3 and data_version(db) == v0
    with time_machine.travel("2030-01-01T00:00:00Z"):  # a rebuild stamps a new build time
        build(db, load())
    assert data_version(db) != v0


def test_unknown_kpi(db) -> None:
    charts = Charts()
    with pytest.raises(UnknownKpi):
        charts.kpi(db, "no-such-kpi")
    assert charts.kpi_etag(db, "no-such-kpi") is None
    with pytest.raises(ValueError):
        charts.overview(db, goal=9)


def test_concurrent_requests_draw_once(built_db_path: Path) -> None:
    charts = Charts(ChartCache())
    results: list[bytes] = []
    errors: list[BaseException] = []

    def fetch() -> None:
        conn = connect(built_db_path)
        try:
            results.append(charts.kpi(conn, "births").png)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 4 and len(set(results)) == 1
    assert charts.cache.renders == 1


def test_font_comes_from_the_package() -> None:
    from bot.charts.fonts import FONT_FAMILY, setup

    mpl = setup()
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    assert path.endswith("ipaexg.ttf") and "matplotlib_fontja" in path
    assert mpl.get_backend().lower() == "agg"


def test_server_and_cli_start_without_matplotlib() -> None:
    code = (
        "import sys, bot.charts, bot.charts.service, bot.charts.data, bot.web.app, bot.cli.commands;"
        "import bot.line.render, bot.slack.render, bot.reminders.scheduler;"
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
