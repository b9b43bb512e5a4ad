"""The ASGI web server: LINE webhook, Slack events, health check, calendar export.

``create_app(settings)`` builds the Starlette app; each channel module contributes its routes
through a ``routes(ctx)`` function so that this file stays a thin assembly.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import sqlite_utils
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.config import Settings
from bot.line import webhook as line_webhook
from bot.reminders import service as reminder_service
from bot.slack import app as slack_app
from strategy_data.database import connect, is_built

log = logging.getLogger("strategy_bot.server")


class AppContext:
    """What every route needs: settings, a database connection per thread, the answer pipeline."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._local = threading.local()
        self._answerer: Any = None
        self._answerer_lock = threading.Lock()
        # Callables run at start-up and shutdown (e.g. the reminder scheduler), added by modules.
        self.on_startup: list[Callable[[], Any]] = []
        self.on_shutdown: list[Callable[[], Any]] = []

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    def db(self) -> sqlite_utils.Database:
        """A connection for the calling thread (SQLite connections are not shared across threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.db_path)
            self._local.db = db
        return db

    def answerer(self) -> Any:
        """The answer pipeline, built once per process (it loads its index from the database)."""
        if self._answerer is None:
            with self._answerer_lock:
                if self._answerer is None:
                    from handlers.dispatch import Answerer

                    self._answerer = Answerer(self.db(), contact=self.settings.contact_text)
        return self._answerer


async def healthz(request: Request) -> JSONResponse:
    ctx: AppContext = request.app.state.ctx
    built = is_built(ctx.db())
    return JSONResponse(
        {"ok": built, "database": "ready" if built else "empty"}, status_code=200 if built else 503
    )


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    ctx = AppContext(settings)
    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    # --- feature routes: one line per module -------------------------------------------------
    routes += line_webhook.routes(ctx)
    routes += slack_app.routes(ctx)
    routes += reminder_service.routes(ctx)
    reminder_service.install(ctx)  # LINE subscription hook, scheduler start/stop

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ctx.answerer()  # build the index before the first request
        for fn in ctx.on_startup:
            result = fn()
            if hasattr(result, "__await__"):
                await result
        try:
            yield
        finally:
            for fn in ctx.on_shutdown:
                result = fn()
                if hasattr(result, "__await__"):
                    await result

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.ctx = ctx
    return app
