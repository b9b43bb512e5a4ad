"""``strategy-bot kpi import|export``: thin commands over strategy_data.actuals, checked through the
database they produce."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from strategy_data.database import connect


def _run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_then_export(built_db_path: Path, tmp_path: Path):
    csv_file = tmp_path / "actuals.csv"
    csv_file.write_text(
        'kpi_id,year,value,note\nbirths,2021,"6,512",確定値\n待機児童数,R4,0,\n', encoding="utf-8"
    )
    result = _run("kpi", "import", str(csv_file), "--db", str(built_db_path), "--by", "cli:tester")
    assert result.exit_code == 0, result.output
    assert "2 件を記録しました" in result.output
    db = connect(built_db_path)
    rows = db.execute("SELECT kpi_id, year, value, entered_by FROM kpi_actuals ORDER BY kpi_id").fetchall()
    assert rows == [("births", 2021, 6512.0, "cli:tester"), ("waiting-children", 2022, 0.0, "cli:tester")]
    assert db.execute("SELECT count(*) FROM kpi_audit WHERE action = 'import'").fetchone() == (2,)
    db.close()

    result = _run("kpi", "export", "--db", str(built_db_path))
    assert result.exit_code == 0
    assert result.output.startswith(
        "\ufeff"
    )  # the BOM Excel needs (tests/strategy_data/test_csv_encoding.py)
    lines = result.output.removeprefix("\ufeff").splitlines()
    assert lines[0] == "kpi_id,kpi_name,unit,year,value,note,entered_by,entered_at"
    assert lines[1].startswith("births,出生数,人,2021,6512,確定値,cli:tester,")
    out = tmp_path / "out.csv"
    assert _run("kpi", "export", "--db", str(built_db_path), "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.output


def test_import_with_one_bad_row_writes_nothing(built_db_path: Path, tmp_path: Path):
    csv_file = tmp_path / "actuals.csv"
    csv_file.write_text(
        "kpi_id,year,value,note\nbirths,2021,6512,\nbirths,2022,六千,\nwaiting-children,2022,0,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["kpi", "import", str(csv_file), "--db", str(built_db_path)])
    assert result.exit_code == 1
    assert "1 件の問題があるため、何も書き込みませんでした" in result.output
    assert "3行目 value: 「六千」は数値として読めません" in result.output
    db = connect(built_db_path)
    assert db["kpi_actuals"].count == 0
    assert db["kpi_audit"].count == 0
    db.close()


def test_commands_have_help():
    for args in (
        ["kpi", "--help"],
        ["kpi", "import", "--help"],
        ["kpi", "export", "--help"],
        ["slack", "--help"],
    ):
        result = _run(*args)
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_slack_without_tokens_is_a_clear_error(monkeypatch):
    for name in ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["slack"])
    assert result.exit_code == 2
    assert "SLACK_APP_TOKEN" in result.output
