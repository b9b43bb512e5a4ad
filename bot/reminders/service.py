"""The reminders inside ``strategy-bot serve``: the scheduler thread, the LINE text hook for
subscriptions and invite codes, and ``GET /meetings.ics``.

``bot.web.app.create_app`` calls :func:`routes` and :func:`install` (one line each).
"""

from __future__ import annotations

import logging
import threading

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.config import Settings
from bot.context import AppContext, open_db
from bot.line.hooks import LineTextCommand, add_text_hook
from bot.reminders import ics
from bot.reminders.offsets import parse_offsets
from bot.reminders.scheduler import Scheduler
from handlers.reply import Reply
from handlers.subscriptions import handle_text
from store import StoreUnavailable
from strategy_data.clock import now_jst
from strategy_data.meetings import list_meetings

log = logging.getLogger("strategy_bot.reminders")

TICK_SECONDS = 30.0
FIRST_TICK_SECONDS = 5.0  # let the server come up first


class SchedulerThread:
    """Runs ``Scheduler.run_once`` every ``interval`` seconds in a daemon thread until stopped."""

    def __init__(
        self, settings: Settings, *, interval: float = TICK_SECONDS, first_delay: float = FIRST_TICK_SECONDS
    ):
        self.settings = settings
        self.interval = interval
        self.first_delay = first_delay
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._passes = 0  # passes finished (with or without an error), for tests and health checks
        self._passes_lock = threading.Lock()

    @property
    def passes(self) -> int:
        """How many passes of the scheduler have finished since the thread started."""
        with self._passes_lock:
            return self._passes

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="reminder-scheduler", daemon=True)
        self._thread.start()
        log.info("reminder scheduler started (every %.0f s)", self.interval)

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        db = open_db(self.settings)
        # retry back-offs wait on the stop event, so shutdown never waits for a sleeping retry
        scheduler = Scheduler(db, self.settings, sleep=self._stop.wait)
        try:
            if self._stop.wait(self.first_delay):
                return
            while not self._stop.is_set():
                try:
                    scheduler.run_once()
                except StoreUnavailable as exc:  # the database is away: the next pass tries again
                    log.warning("reminder pass skipped: %s", exc)
                except Exception as exc:  # one bad pass must not end the thread
                    log.error("reminder pass failed: %s", type(exc).__name__, exc_info=exc)
                with self._passes_lock:
                    self._passes += 1
                self._stop.wait(self.interval)
        finally:
            scheduler.close()
            db.close()
            log.info("reminder scheduler stopped")


def install(ctx: AppContext) -> None:
    """Register the LINE subscription hook and the scheduler's start/stop with the app."""
    labels = [o.label_ja for o in parse_offsets(ctx.settings.reminder_offsets)]  # bad offsets fail at start

    def subscription_hook(command: LineTextCommand) -> Reply | None:
        return handle_text(
            ctx.db(),
            command.text,
            user_id=command.user_id,
            user_hash=command.user_hash,
            now=command.now,
            chat_type=command.chat_type,
            offset_labels=labels,
        )

    add_text_hook(ctx, subscription_hook)
    if not ctx.settings.scheduler_enabled:
        log.info("reminder scheduler off (SCHEDULER_ENABLED=false)")
        return
    thread = SchedulerThread(ctx.settings, interval=TICK_SECONDS, first_delay=FIRST_TICK_SECONDS)
    ctx.on_startup.append(thread.start)
    ctx.on_shutdown.append(thread.stop)


def routes(ctx: AppContext) -> list[BaseRoute]:
    def meetings_ics(request: Request) -> Response:
        body = ics.calendar(list_meetings(ctx.db(), include_cancelled=True), now=now_jst())
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={
                "Content-Disposition": 'inline; filename="meetings.ics"',
                "Cache-Control": "max-age=300",
            },
        )

    return [Route("/meetings.ics", meetings_ics, methods=["GET"])]
