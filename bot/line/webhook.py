"""``POST /line/webhook``: citizens on LINE.

The request path does only what must happen before LINE gets its answer: a size check (413), the
``X-Line-Signature`` check on the raw body before anything is parsed (400, no side effect), a JSON
sanity check, and writing the delivery to the durable inbox (``store.inbox``) in one transaction with
its ``webhookEventId`` dedupe. Only then does it answer 200; if the database cannot take the delivery it
answers 503, so LINE delivers it again later. Worker threads (``bot.workers.line_inbox``) take the
events from the inbox and answer them (``bot.line.handling``); an event is done only once its reply
was sent. Nothing here ever turns into a 500.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.context import AppContext
from bot.http_body import read_limited
from bot.line.handling import LineEventHandler
from bot.line.hooks import get_sender
from bot.line.signature import sign as sign  # re-exported: tests and tools sign bodies with it
from bot.line.signature import signature_ok
from bot.privacy import hash_user_id, user_hash_key
from bot.workers.line_inbox import InboxWorkers
from nlp.normalize import scrub_surrogates
from store import StoreUnavailable
from store.inbox import Inbox, NewEvent

log = logging.getLogger("strategy_bot.line")


def source_key(raw: dict[str, Any], key: bytes) -> str:
    """The chat an event belongs to, as a keyed hash: its events are answered in order."""
    source = raw.get("source")
    if isinstance(source, dict):
        for name in ("groupId", "roomId", "userId"):
            value = source.get(name)
            if isinstance(value, str) and value:
                return hash_user_id(value, key)
    return "-"


def new_events(events: list[Any], key: bytes) -> list[NewEvent]:
    out = []
    for raw in events:
        ev = raw if isinstance(raw, dict) else {"type": "invalid", "value": raw}
        event_id = ev.get("webhookEventId")
        out.append(
            NewEvent(event_id if isinstance(event_id, str) and event_id else None, source_key(ev, key), ev)
        )
    return out


class LineWebhook:
    def __init__(self, ctx: AppContext, inbox: Inbox, workers: InboxWorkers | None):
        if ctx.settings.line_channel_secret is None:
            raise ValueError("LINE_CHANNEL_SECRET is not set")
        self.ctx = ctx
        self.inbox = inbox
        self.workers = workers
        self._secret = ctx.settings.line_channel_secret.get_secret_value()
        self._max_body = ctx.settings.max_body_bytes
        self._hash_key = user_hash_key(ctx.settings)

    async def endpoint(self, request: Request) -> Response:
        try:
            return await self._endpoint(request)
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception:  # never a 500
            log.exception("LINE webhook: unexpected error before acknowledging")
            return Response(status_code=400)

    async def _endpoint(self, request: Request) -> Response:
        body = await read_limited(request, self._max_body)
        if isinstance(body, Response):
            return body
        if not signature_ok(body, request.headers.get("x-line-signature"), self._secret):
            log.warning("LINE webhook: missing or invalid signature (%d bytes), rejected", len(body))
            return Response("invalid signature", status_code=400)
        try:
            # lone surrogates ("\\ud800" is valid JSON) become U+FFFD before anything stores or logs them
            payload = scrub_surrogates(json.loads(body))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return Response("body is not JSON", status_code=400)
        events = payload.get("events") if isinstance(payload, dict) else None
        if not isinstance(events, list):
            return Response("no events list", status_code=400)
        if not events:  # LINE's "Verify" button sends an empty list
            return Response(status_code=200)
        destination = payload.get("destination")
        items = new_events(events, self._hash_key)
        try:
            accepted = await run_in_threadpool(
                self.inbox.accept, items, destination if isinstance(destination, str) else None
            )
        except StoreUnavailable as exc:
            log.error("LINE webhook: database unavailable (%s): 503, LINE will deliver again", exc)
            return Response("database unavailable", status_code=503)
        if accepted.skipped:
            log.info("LINE webhook: %d event(s) already processed, skipped (redelivery)", accepted.skipped)
        if accepted.resumed:
            log.info("LINE webhook: %d redelivered event(s) not done yet: processing", accepted.resumed)
        if self.workers is not None and (accepted.new or accepted.resumed):
            self.workers.ensure_started()
            self.workers.wake(accepted.new + accepted.resumed)
        return Response(status_code=200)


def routes(ctx: AppContext) -> list[BaseRoute]:
    """``POST /line/webhook`` when LINE is configured; otherwise nothing (and one log line)."""
    if not ctx.settings.line_enabled:
        log.info("LINE webhook off: LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are not both set")
        return []
    inbox = ctx.store().inbox
    workers = line_workers(ctx)
    webhook = LineWebhook(ctx, inbox, workers)
    return [Route("/line/webhook", webhook.endpoint, methods=["POST"])]


_WORKERS_LOCK = threading.Lock()


def line_workers(ctx: AppContext, threads: int | None = None) -> InboxWorkers | None:
    """The process's inbox workers (started with the app, stopped before the sender closes); None when
    ``LINE_WORKER_THREADS=0`` (separate ``strategy-bot worker`` processes answer)."""
    count = ctx.settings.line_worker_threads if threads is None else threads
    if count <= 0:
        return None
    with _WORKERS_LOCK:
        workers = vars(ctx).get("line_workers")
        if workers is None:
            sender = get_sender(ctx)
            assert sender is not None
            handler = LineEventHandler(ctx, sender)
            workers = InboxWorkers(ctx.store().inbox, handler.handle, threads=count)
            vars(ctx)["line_workers"] = workers
            ctx.on_startup.append(workers.ensure_started)
            ctx.on_shutdown.insert(0, workers.stop)  # before the sender closes
    return workers
