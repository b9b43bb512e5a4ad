"""``strategy-bot kpi import FILE.csv`` and ``strategy-bot kpi export``: bulk KPI actuals.

Thin commands over :mod:`strategy_data.actuals`: the same validation as ``/kpi set``, all rows or
none, and a clear error per bad row (line number, column, reason).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from bot.config import Settings
from bot.context import open_db
from strategy_data.actuals import CsvImportError, export_csv_bytes, import_csv
from strategy_data.database import default_db_path, is_built

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database path (default: $STRATEGY_BOT_DB or var/strategy.db).",
)


def _open(db_path: Path | None):
    db = open_db(Settings.from_env(), db_path or default_db_path())
    if not is_built(db):
        click.echo("データベースが空です。先に `strategy-bot load-data` を実行してください。", err=True)
        sys.exit(1)
    return db


@click.group("kpi")
def kpi() -> None:
    """Staff-entered KPI actuals: bulk import and export (CSV)."""


@kpi.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--by", "actor", default=None, help="Who is importing, for the audit log (default: cli:<login>)."
)
def import_command(csv_file: Path, db_path: Path | None, actor: str | None) -> None:
    """Import KPI actuals from CSV_FILE (columns kpi_id, year, value[, note]): all rows or none."""
    db = _open(db_path)
    try:
        result = import_csv(db, csv_file, by=actor or f"cli:{getpass.getuser()}")
    except CsvImportError as exc:
        click.echo(
            f"{csv_file}: {len(exc.problems)} 件の問題があるため、何も書き込みませんでした。", err=True
        )
        for p in exc.problems:
            click.echo(f"  {p.line}行目 {p.column}: {p.reason}", err=True)
        sys.exit(1)
    finally:
        db.close()
    click.echo(
        f"{result.rows} 行を確認し、{result.written} 件を記録しました（変更なし {result.unchanged} 件）。"
    )


@kpi.command("export")
@db_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def export_command(db_path: Path | None, output: Path | None) -> None:
    """Export every staff-entered KPI actual as CSV, UTF-8 with a BOM so that Excel reads it right
    (re-importable with `kpi import`)."""
    db = _open(db_path)
    try:
        data = export_csv_bytes(db)
    finally:
        db.close()
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
    else:
        output.write_bytes(data)
        rows = data.count(b"\n") - 1
        click.echo(f"{output} に {rows} 件を書き出しました。", err=True)
