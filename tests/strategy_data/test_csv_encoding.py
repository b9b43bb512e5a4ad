"""KPI CSV files open in Excel without mojibake: exports carry a UTF-8 BOM, imports take files with or
without one (and Excel's Shift_JIS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from strategy_data.actuals import export_csv_bytes, import_csv
from strategy_data.database import connect

BOM = b"\xef\xbb\xbf"
ROWS = "kpi_id,year,value,note\nbirths,2021,6512,確定値\n"


def _export(db_path: Path, *args: str) -> bytes:
    result = CliRunner().invoke(main, ["kpi", "export", "--db", str(db_path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("encoded", [ROWS.encode("utf-8"), BOM + ROWS.encode("utf-8"), ROWS.encode("cp932")])
def test_import_takes_utf8_with_or_without_bom_and_shift_jis(
    built_db_path: Path, tmp_path: Path, encoded: bytes
) -> None:
    path = tmp_path / "actuals.csv"
    path.write_bytes(encoded)
    db = connect(built_db_path)
    try:
        assert import_csv(db, path, by="t").written == 1
        assert db.execute("SELECT note FROM kpi_actuals WHERE kpi_id = 'births'").fetchone() == ("確定値",)
    finally:
        db.close()


def test_export_has_a_bom_on_stdout_and_in_a_file_and_reimports(built_db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(ROWS, encoding="utf-8")
    db = connect(built_db_path)
    try:
        import_csv(db, source, by="t")
        assert export_csv_bytes(db).startswith(BOM + b"kpi_id,")
    finally:
        db.close()
    out = _export(built_db_path)
    assert out.startswith(BOM + b"kpi_id,kpi_name,") and out.count(BOM) == 1
    assert "確定値" in out.decode("utf-8-sig")
    written = tmp_path / "out.csv"
    _export(built_db_path, "-o", str(written))
    assert written.read_bytes() == out
    db = connect(built_db_path)
    try:
        result = import_csv(db, written, by="t")  # the export goes back in as it is
        assert (result.rows, result.unchanged) == (1, 1)
    finally:
        db.close()
