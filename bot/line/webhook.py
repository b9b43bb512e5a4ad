"""``POST /line/webhook``: citizens on LINE.

The request path does only what must happen before LINE gets its answer: a size check (413), the
``X-Line-Signature`` check on the raw body before anything is parsed (400, no side effect), and a JSON
sanity check. It then answers 200 at once. Once the response is sent, a few threads parse the events
into our own models, deduplicate them by ``webhookEventId``, and do what needs the database (unfollow,
text hooks); questions and replies then go to the answer process (``bot.workers.answering``), which
answers through the channel-neutral ``Answerer``, renders, and replies with the reply token. Nothing
in the background can reach the response, and nothing here ever turns into a 500.

Other modules can handle LINE text commands before the answer pipeline (e.g. 「リマインド登録」 for
the reminders) with ``bot.line.hooks.add_text_hook``, and push through ``bot.line.hooks.get_sender``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.context import AppContext
from bot.line import dedupe
from bot.line import render as R
from bot.line import texts as T
from bot.line.api import LineSender
from bot.line.events import (
    FollowEvent,
    JoinEvent,
    LineEvent,
    MessageEvent,
    PostbackEvent,
    TextContent,
    UnfollowEvent,
    addressed_text,
    parse_events,
    postback_question,
)
from bot.line.hooks import LineTextCommand, get_sender, text_hooks
from bot.line.signature import sign as sign  # re-exported: tests and tools sign bodies with it
from bot.line.signature import signature_ok
from bot.privacy import hash_user_id, user_hash_key
from bot.workers.answering import AnswerProcess, answer_messages, send_reply
from handlers.reply import Reply
from strategy_data.clock import now_jst

log = logging.getLogger("strategy_bot.line")

WORKERS = 8  # threads processing deliveries: the CPU work is serialized, the calls to LINE overlap
BACKLOG_WARNING = 100  # deliveries waiting: warn at 100, then 1,000, 10,000…


# --- the webhook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """A question for the answer pipeline."""

    question: str


Outcome = list[dict[str, Any]] | Ask  # messages to reply, or a question to answer


class LineWebhook:
    def __init__(self, ctx: AppContext, sender: LineSender, answers: AnswerProcess | None = None):
        if ctx.settings.line_channel_secret is None:
            raise ValueError("LINE_CHANNEL_SECRET is not set")
        self.ctx = ctx
        self.sender = sender
        self.answers = answers
        self._secret = ctx.settings.line_channel_secret.get_secret_value()
        self._max_body = ctx.settings.max_body_bytes
        self._triggers = list(ctx.settings.line_group_triggers)
        self._hash_key = user_hash_key(ctx.settings)
        # A few threads for the database work and, without an answer process, to overlap calls to LINE.
        self._workers = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="line-webhook")
        self._pending = 0
        self._warned = 0  # backlog warnings given since it was last empty (at 100, 1000, 10000…)
        self._pending_lock = threading.Lock()
        self._work_lock = threading.Lock()

    def close(self) -> None:
        """Finish the deliveries already acknowledged, then stop the workers."""
        self._workers.shutdown(wait=True)

    # request path: verify, acknowledge ------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        try:
            return await self._endpoint(request)
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception:  # never a 500
            log.exception("LINE webhook: unexpected error before acknowledging")
            return Response(status_code=400)

    async def _endpoint(self, request: Request) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                return Response("bad Content-Length", status_code=400)
            if int(declared) > self._max_body:
                return Response("request body too large", status_code=413)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self._max_body:
                return Response("request body too large", status_code=413)
            chunks.append(chunk)
        body = b"".join(chunks)
        if not signature_ok(body, request.headers.get("x-line-signature"), self._secret):
            log.warning("LINE webhook: missing or invalid signature (%d bytes), rejected", size)
            return Response("invalid signature", status_code=400)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return Response("body is not JSON", status_code=400)
        events = payload.get("events") if isinstance(payload, dict) else None
        if not isinstance(events, list):
            return Response("no events list", status_code=400)
        if not events:  # LINE's "Verify" button sends an empty list
            return Response(status_code=200)
        destination = payload.get("destination")
        task = BackgroundTask(
            self._submit, events, destination if isinstance(destination, str) else None, time.monotonic()
        )
        return Response(status_code=200, background=task)

    async def _submit(self, events: list[Any], destination: str | None, received_at: float) -> None:
        """Runs once the 200 is sent: hand the delivery to a worker thread."""
        with self._pending_lock:
            self._pending += 1
            backlog = self._pending
            warn = backlog >= BACKLOG_WARNING * 10**self._warned
            if warn:
                self._warned += 1
        if warn:
            log.warning("LINE webhook: %d deliveries waiting to be processed", backlog)
        try:
            self._workers.submit(self._process_counted, events, destination, received_at)
        except RuntimeError:  # shutting down: as if the server had stopped a moment earlier
            with self._pending_lock:
                self._pending -= 1
            log.warning("LINE webhook: delivery dropped during shutdown")

    def _process_counted(self, events: list[Any], destination: str | None, received_at: float) -> None:
        try:
            self.process(events, destination, received_at)
        finally:
            with self._pending_lock:
                self._pending -= 1
                if self._pending == 0:
                    self._warned = 0

    # background: dedupe, answer, reply ------------------------------------------------------------

    def process(self, raw_events: list[Any], destination: str | None, received_at: float) -> None:
        """Handle one delivery's events in order (runs in a worker thread; never raises).

        What needs the database (dedupe, unfollow, text hooks) runs here under one lock; questions and
        replies go to the answer process, or are handled here when it is not running.
        """
        try:
            events = parse_events(raw_events)
            ids = [e.webhook_event_id for e in events if e.webhook_event_id]
            with self._work_lock:
                fresh = dedupe.claim(self.ctx.db().conn, ids) if ids else set()
        except Exception:
            log.exception("LINE webhook: could not record the delivery's event ids; delivery skipped")
            return
        for event in events:
            if event.webhook_event_id and event.webhook_event_id not in fresh:
                log.info("LINE event %s already processed, skipped (redelivery)", event.webhook_event_id)
                continue
            try:
                with self._work_lock:
                    outcome = self.respond(event, destination)
                if outcome is not None and event.reply_token:
                    self._deliver(event, event.reply_token, outcome, received_at)
            except Exception:
                log.exception("LINE webhook: error while handling a %s event", event.type)

    def _deliver(self, event: LineEvent, token: str, outcome: Outcome, received_at: float) -> None:
        user_hash = self._user_hash(event)
        answers = self.answers
        if isinstance(outcome, Ask):
            if answers is not None and answers.answer(token, outcome.question, user_hash, received_at):
                return
            with self._work_lock:
                messages = answer_messages(
                    self.ctx.answerer(), outcome.question, user_hash, self.ctx.settings.public_base_url
                )
        else:
            messages = outcome
            if answers is not None and answers.send(token, messages, user_hash, received_at):
                return
        send_reply(self.sender, token, messages, user_hash, received_at)

    def respond(self, event: LineEvent, destination: str | None) -> Outcome | None:
        """What to do about one event: messages to reply, a question to answer, or nothing (None).
        Side effects (unfollow, text hooks) happen here."""
        if isinstance(event, MessageEvent):
            return self._on_message(event, destination)
        if isinstance(event, PostbackEvent):
            question = postback_question(event.postback.data)
            if question is None:
                return R.simple_messages(T.POSTBACK_UNKNOWN)
            return self._question(event, question)
        if isinstance(event, FollowEvent):
            log.info("LINE follow from %s", self._user_hash(event))
            return R.welcome_messages()
        if isinstance(event, UnfollowEvent):
            self._on_unfollow(event)
            return None
        if isinstance(event, JoinEvent):
            return R.group_join_messages(self._triggers[0] if self._triggers else "@")
        log.debug("LINE event type=%s ignored", event.type)
        return None

    def _on_message(self, event: MessageEvent, destination: str | None) -> Outcome | None:
        content = event.message
        group = event.source.is_group_chat
        if isinstance(content, TextContent):
            question = addressed_text(content, group=group, triggers=self._triggers, bot_id=destination)
            if question is None:
                return None  # a group conversation not addressed to the bot
            if not question:
                return R.simple_messages(T.EMPTY_MENTION)
            return self._question(event, question)
        if group:  # in a group the bot stays quiet unless addressed, and a photo cannot address it
            return None
        return R.non_text_messages(content.type)

    def _on_unfollow(self, event: UnfollowEvent) -> None:
        user_id = event.source.user_id
        if not user_id:
            return
        conn = self.ctx.db().conn
        with conn:
            removed = conn.execute("DELETE FROM line_subscriptions WHERE user_id = ?", (user_id,)).rowcount
        log.info("LINE unfollow from %s: %d subscription(s) removed", self._user_hash(event), removed)

    def _question(self, event: LineEvent, question: str) -> Outcome:
        """A text hook's reply (e.g. 「リマインド登録」), or the question for the answer pipeline."""
        try:
            reply = self._run_hooks(event, question, self._user_hash(event))
        except Exception as exc:
            log.error("LINE text hook failed: %s", type(exc).__name__, exc_info=exc)
            return R.simple_messages(T.INTERNAL_ERROR)
        if reply is not None:
            return R.render_reply(reply)
        return Ask(question)

    def _run_hooks(self, event: LineEvent, text: str, user_hash: str | None) -> Reply | None:
        hooks = text_hooks(self.ctx)
        if not hooks:
            return None
        command = LineTextCommand(
            text=text,
            user_id=event.source.user_id,
            user_hash=user_hash,
            chat_type=event.source.type,
            now=now_jst(),
        )
        for hook in hooks:
            reply = hook(command)
            if reply is not None:
                return reply
        return None

    def _user_hash(self, event: LineEvent) -> str | None:
        uid = event.source.user_id
        return hash_user_id(uid, self._hash_key) if uid else None


def routes(ctx: AppContext) -> list[BaseRoute]:
    """``POST /line/webhook`` when LINE is configured; otherwise nothing (and one log line)."""
    if not ctx.settings.line_enabled:
        log.info("LINE webhook off: LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are not both set")
        return []
    sender = get_sender(ctx)
    assert sender is not None
    answers = AnswerProcess(ctx.settings)
    webhook = LineWebhook(ctx, sender, answers)
    ctx.on_startup.append(answers.start)
    ctx.on_shutdown[:0] = [webhook.close, answers.close]  # in this order, and before the sender closes
    return [Route("/line/webhook", webhook.endpoint, methods=["POST"])]
