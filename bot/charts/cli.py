"""``strategy-bot chart KPI --out FILE.png``: one KPI's trend chart (or the overview) as a file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.charts.data import UnknownKpi
from bot.charts.service import Charts
from bot.config import Settings
from bot.context import open_db
from strategy_data.actuals import KpiNotFound, resolve_kpi
from strategy_data.database import default_db_path, is_built


@click.command("chart")
@click.argument("kpi")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PNG.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database path (default: $STRATEGY_BOT_DB or var/strategy.db).",
)
def chart(kpi: str, out: Path, db_path: Path | None) -> None:
    """Write a KPI's trend chart (name, short name or id; 「overview」 for all KPIs) as PNG."""
    db = open_db(Settings.from_env(), db_path or default_db_path())
    try:
        if not is_built(db):
            click.echo("database is empty: run `strategy-bot load-data` first", err=True)
            sys.exit(1)
        charts = Charts()
        if kpi.strip().lower() in {"overview", "all", "一覧", "全体"}:
            image = charts.overview(db)
        else:
            try:
                ref = resolve_kpi(db, kpi)
            except KpiNotFound as exc:
                names = "、".join(c.label for c in exc.candidates[:5])
                hint = f"（候補：{names}）" if names else ""
                click.echo(f"KPI「{kpi}」が見つかりません{hint}", err=True)
                sys.exit(2)
            try:
                image = charts.kpi(db, ref.id)
            except UnknownKpi:  # pragma: no cover - resolve_kpi found it
                sys.exit(2)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(image.png)
        click.echo(f"wrote {out}")
    finally:
        db.close()
