"""``strategy-bot chart KPI --out FILE.png``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.charts.cli import chart


def test_writes_a_png_for_a_kpi_named_as_people_name_it(built_db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "charts" / "tourism.png"
    result = CliRunner().invoke(chart, ["観光消費額", "--out", str(out), "--db", str(built_db_path)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_overview(built_db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.png"
    result = CliRunner().invoke(chart, ["overview", "--out", str(out), "--db", str(built_db_path)])
    assert result.exit_code == 0 and out.stat().st_size > 1000


def test_unknown_kpi_is_a_clear_error(built_db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    result = CliRunner().invoke(chart, ["天気", "--out", str(out), "--db", str(built_db_path)])
    assert result.exit_code == 2 and "見つかりません" in result.output and not out.exists()
