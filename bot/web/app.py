"""The ASGI web server: the chat page and charts, LINE webhook, Slack events, health check, calendar export.

``create_app(settings)`` builds the Starlette app; each channel module contributes its routes
through a ``routes(ctx)`` function so that this file stays a thin assembly.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.config import Settings
from bot.context import AppContext
from bot.line import webhook as line_webhook
from bot.line.handling import replies_lost
from bot.reminders import service as reminder_service
from bot.slack import app as slack_app
from bot.web import chart_routes, chat_page
from bot.web import texts as web_texts
from bot.workers import store_sweeper
from store import StoreUnavailable
from strategy_data.database import is_built

log = logging.getLogger("strategy_bot.server")


async def healthz(request: Request) -> JSONResponse:
    """200 when the curated data is built and the store answers; 503 (and which part) otherwise."""
    ctx: AppContext = request.app.state.ctx
    built = is_built(ctx.db())
    store_ok = await run_in_threadpool(ctx.store().healthy)
    ok = built and store_ok
    body = {
        "ok": ok,
        "database": "ready" if built else "empty",
        "store": "ready" if store_ok else "unavailable",
        "store_backend": ctx.store().dialect,
    }
    if ctx.settings.line_enabled and store_ok:
        outcomes = await run_in_threadpool(ctx.store().inbox.outcomes)
        body["line_replies_lost"] = replies_lost(outcomes)  # in the last 24 hours (the inbox keeps them)
    slack = slack_app.get_bot(ctx)
    if slack is not None:
        body["slack_work_pending"] = slack.work.pending  # acknowledged requests not yet done
    return JSONResponse(body, status_code=200 if ok else 503)


async def store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """Any route whose state is in a database that is away (the chat API reads conversations and staff
    actuals, charts their version): 503 with a polite message, never a 500. The LINE and Slack routes
    answer such a moment themselves."""
    log.warning("%s %s: store unavailable (%s): 503", request.method, request.url.path, exc)
    body = {"error": "unavailable", "message": web_texts.ERRORS["unavailable"]}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5", "Cache-Control": "no-store"})


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    ctx = AppContext(settings)
    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    # --- feature routes: one line per module -------------------------------------------------
    routes += line_webhook.routes(ctx)
    routes += slack_app.routes(ctx)
    routes += reminder_service.routes(ctx)
    routes += chart_routes.routes(ctx)
    routes += chat_page.routes(ctx)
    reminder_service.install(ctx)  # LINE subscription hook, scheduler start/stop
    store_sweeper.install(ctx)  # expired conversations and Slack event ids are deleted

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
            ctx.close_store()

    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={StoreUnavailable: store_unavailable}
    )
    app.state.ctx = ctx
    return app
