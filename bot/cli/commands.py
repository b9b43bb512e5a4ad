"""The ``strategy-bot`` command line: thin commands over the library."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from bot.config import ConfigError, Settings, apply_env_file
from bot.context import open_db
from handlers.index_cache import warm_analysis_cache
from handlers.vector_cache import store_vector_keys
from strategy_data.database import BuildError, build, default_db_path, is_built
from strategy_data.loader import DATA_DIR, DataError, load
from strategy_data.state import state_of

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database path (default: $STRATEGY_BOT_DB or var/strategy.db).",
)


class ConfigProblem(click.ClickException):
    """A malformed setting: one readable line naming the variable, exit code 2, no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"設定エラー: {self.message}（環境変数または .env を確認してください）", err=True)


# Commands defined by feature modules, imported only when run (or listed by --help): a command
# pays for its own imports, so ``ask`` does not load the LINE and Slack SDKs or the chart renderer.
LAZY_COMMANDS = {
    "ask": "bot.cli.chat:ask",
    "chart": "bot.charts.cli:chart",
    "chat": "bot.cli.chat:chat",
    "kpi": "bot.cli.kpi:kpi",
    "line": "bot.line.cli:line",
    "meetings": "bot.reminders.cli:meetings",
    "remind": "bot.reminders.cli:remind",
    "slack": "bot.slack.socket_mode:slack",
    "unanswered": "bot.cli.chat:unanswered",
    "worker": "bot.workers.cli:worker",
}


class _Commands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, attribute = LAZY_COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """熊本市しごと・ひと・まち創生総合戦略 Q&A bot."""
    apply_env_file()  # .env applies to every command (variables already set win)


@main.command("load-data")
@db_option
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of the YAML data files (default: the packaged strategy_data/data).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def load_data(db_path: Path | None, data_dir: Path | None, quiet: bool) -> None:
    """Validate the data files and (re)build the database atomically."""
    try:
        data = load(data_dir or DATA_DIR)
    except DataError as exc:
        click.echo(f"データに {len(exc.problems)} 件の問題があります (database unchanged):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    path = db_path or default_db_path()
    db = open_db(Settings.from_env(), path)
    try:
        counts = build(db, data)
        warm_analysis_cache(db)  # the answer pipeline's first start is then fast
        store_vector_keys(db)  # and its semantic backstop loads in milliseconds
    except BuildError as exc:
        click.echo(f"build failed (database unchanged): {exc}", err=True)
        sys.exit(1)
    finally:
        db.close()
    if not quiet:
        click.echo(f"built {path}")
        summary = ", ".join(
            f"{t} {n}"
            for t, n in counts.items()
            if t in {"goals", "measures", "kpis", "glossary", "projects"}
        )
        click.echo(f"  {summary}")


@main.command("info")
@db_option
def info(db_path: Path | None) -> None:
    """Print a short summary of what the database holds."""
    db = open_db(Settings.from_env(), db_path or default_db_path())
    if not is_built(db):
        click.echo("database is empty: run `strategy-bot load-data` first", err=True)
        sys.exit(1)
    for table in ("goals", "measures", "measure_items", "kpis", "history_indicators", "projects", "glossary"):
        click.echo(f"{table:20} {db[table].count}")
    with state_of(db).read() as tx:  # staff state: the store's (PostgreSQL with DATABASE_URL)
        actuals = tx.one("SELECT count(*) AS n FROM kpi_actuals")
        meetings = tx.one("SELECT count(*) AS n FROM staff_meetings")
    click.echo(f"{'staff kpi actuals':20} {(actuals or {}).get('n', 0)}")
    click.echo(f"{'staff meetings':20} {(meetings or {}).get('n', 0)}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@db_option
def serve(host: str, port: int, db_path: Path | None) -> None:
    """Run the web server: the chat page, charts, LINE webhook, Slack events, /healthz, /meetings.ics."""
    import logging
    import os

    import uvicorn

    from bot.config import Settings
    from bot.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if db_path is not None:
        os.environ["STRATEGY_BOT_DB"] = str(db_path)
    app = create_app(Settings.from_env())
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
