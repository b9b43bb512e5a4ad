"""``strategy-bot worker``: the LINE inbox workers in a process of their own.

With PostgreSQL (``DATABASE_URL``) any number of worker processes, on any machines, share the inbox:
each claim skips rows another claimer holds (``SKIP LOCKED``), so every event is answered by one of
them. Run the web servers with ``LINE_WORKER_THREADS=0`` so they only accept. With SQLite a worker
process works too (one machine), but the server's own threads are simpler.

Why plain ``SKIP LOCKED`` claims and not procrastinate: the inbox is already the queue (one table,
written in the webhook's dedupe transaction); a task library would add a second queue and schema to
keep in step with it, for the same claim-lease-done loop that is 150 lines here.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

import click


@click.command("worker")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The curated SQLite database (default: STRATEGY_BOT_DB or var/strategy.db).",
)
def worker(threads: int, db_path: Path | None) -> None:
    """Answer the LINE inbox (DATABASE_URL: run any number of these beside the web servers)."""
    import os

    from bot.config import Settings
    from bot.context import AppContext
    from bot.line.webhook import line_workers
    from bot.reminders import service as reminder_service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if db_path is not None:
        os.environ["STRATEGY_BOT_DB"] = str(db_path)
    settings = Settings.from_env()
    if not settings.line_enabled:
        raise click.UsageError("LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN must be set")
    ctx = AppContext(settings.model_copy(update={"scheduler_enabled": False}))
    reminder_service.install(ctx)  # the LINE text hooks (「リマインド登録」…), no scheduler
    workers = line_workers(ctx, max(1, threads))
    assert workers is not None
    ctx.answerer()  # build the index before the first event
    for fn in ctx.on_startup:
        fn()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"LINE inbox worker: {threads} thread(s) on {ctx.store().dialect}", err=True)
    stop.wait()
    for fn in ctx.on_shutdown:
        fn()
    ctx.close_store()
