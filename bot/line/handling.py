"""What the bot does about one LINE event, once a worker has taken it from the inbox.

:meth:`LineEventHandler.handle` parses the stored event into our own models, does what it implies
(unfollow deletes the subscription, text hooks such as 「リマインド登録」), answers questions through the
channel-neutral ``Answerer``, renders and replies with the reply token. It returns why the event is
done — ``replied``, ``no_reply``, ``token_expired`` (the reply token died while the event waited: no
reply is attempted), ``reply_failed:<HTTP status>`` or ``error:<exception>`` — and never raises.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from bot.charts.links import chart_links
from bot.context import AppContext
from bot.line import limits as L
from bot.line import render as R
from bot.line import texts as T
from bot.line.api import LineSender, SendResult
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
from bot.line.hooks import LineTextCommand, text_hooks
from bot.privacy import hash_user_id, user_hash_key
from handlers.reply import Query, Reply
from handlers.subscriptions import unsubscribe
from store.conversations import conversation_key
from store.inbox import InboxEvent
from strategy_data.clock import now_jst

log = logging.getLogger("strategy_bot.line")

REPLY_TOKEN_SECONDS = 55.0  # LINE reply tokens live about a minute; after that no reply is attempted
MAX_QUESTION_CHARS = 2000  # longer messages get a polite "please ask briefly"

Messages = list[dict[str, Any]]


# --- answering and replying ----------------------------------------------------------------------


def answer_messages(
    answerer: Any,
    question: str,
    user_hash: str | None,
    public_base_url: str | None = None,
    conversation: str | None = None,
) -> Messages:
    """The LINE messages answering ``question``; never raises (a failure gives a polite error).
    With an https ``public_base_url`` KPI bubbles show their chart; ``conversation`` is the chat's
    key, so that a follow-up (「その目標は？」) keeps the topic."""
    started = time.perf_counter()
    try:
        if L.line_length(question) > MAX_QUESTION_CHARS:
            log.info("LINE question from %s too long (%d chars)", user_hash, len(question))
            return R.too_long_messages(MAX_QUESTION_CHARS)
        reply = answerer.answer(
            Query(text=question, channel="line", user_hash=user_hash, conversation=conversation)
        )
        messages = R.render_reply(reply, chart_links(public_base_url, answerer.db))
    except Exception as exc:
        log.error("LINE answer failed: %s", type(exc).__name__, exc_info=exc)  # no user hash beside it
        return R.simple_messages(T.INTERNAL_ERROR)
    log.info(
        "LINE answer for %s: kind=%s answered=%s in %.1f ms",
        user_hash,
        reply.kind,
        reply.answered,
        (time.perf_counter() - started) * 1000,
    )
    return messages


def send_reply(
    sender: LineSender, reply_token: str, messages: Messages, user_hash: str | None, received_at: float
) -> SendResult:
    """Reply with ``messages``; if they would be refused (a rendering bug), reply a polite error."""
    result = sender.reply(reply_token, messages, received_at=received_at)
    if result.error == SendResult.INVALID:
        result = sender.reply(reply_token, R.simple_messages(T.INTERNAL_ERROR), received_at=received_at)
    if not result.ok:
        log.warning(
            "LINE reply lost: to %s, HTTP %s after %d attempt(s) in %.1f s (%s); a reply token cannot"
            " be used later, so the answer is not sent",
            user_hash,
            result.status,
            result.attempts,
            time.monotonic() - received_at,
            result.error or "no answer",
        )
    return result


LOST_OUTCOMES = ("reply_failed", "token_expired", "error")  # inbox outcomes of events left unanswered


def replies_lost(outcomes: dict[str, int]) -> int:
    """How many events the inbox records (the last 24 hours) ended without their reply."""
    return sum(n for outcome, n in outcomes.items() if outcome.split(":", 1)[0] in LOST_OUTCOMES)


@dataclass(frozen=True)
class Ask:
    """A question for the answer pipeline."""

    question: str


Outcome = Messages | Ask  # messages to reply, or a question to answer


class LineEventHandler:
    """Handles inbox events; thread-safe (the CPU-bound answering is serialized, replies overlap)."""

    def __init__(self, ctx: AppContext, sender: LineSender):
        self.ctx = ctx
        self.sender = sender
        self._triggers = list(ctx.settings.line_group_triggers)
        self._hash_key = user_hash_key(ctx.settings)
        self._lock = threading.Lock()  # one answer pipeline per process: one answer at a time

    def handle(self, item: InboxEvent, *, now: float | None = None) -> str:
        """Do what one stored event asks; return why it is done (never raises)."""
        try:
            events = parse_events([item.event])
            if not events:
                return "no_reply"
            event = events[0]
            with self._lock:
                outcome = self.respond(event, item.destination)
            if outcome is None or not event.reply_token:
                return "no_reply"
            waited = (time.time() if now is None else now) - item.received_at
            if waited > REPLY_TOKEN_SECONDS:
                log.warning(
                    "LINE reply lost: to %s, %s event %s waited %.0f s and its reply token expired",
                    self._user_hash(event),
                    event.type,
                    item.webhook_event_id,
                    waited,
                )
                return "token_expired"
            received_at = time.monotonic() - max(0.0, waited)  # the sender's clock
            user_hash = self._user_hash(event)
            if isinstance(outcome, Ask):
                with self._lock:
                    messages = answer_messages(
                        self.ctx.answerer(),
                        outcome.question,
                        user_hash,
                        self.ctx.settings.public_base_url,
                        self._conversation(event, user_hash),
                    )
            else:
                messages = outcome
            result = send_reply(self.sender, event.reply_token, messages, user_hash, received_at)
            return "replied" if result.ok else f"reply_failed:{result.status}"
        except Exception as exc:
            log.exception("LINE: error while handling an inbox event")
            return f"error:{type(exc).__name__}"

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
        removed = unsubscribe(self.ctx.db(), user_id)
        log.info("LINE unfollow from %s: %d subscription(s) removed", self._user_hash(event), int(removed))

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

    def _conversation(self, event: LineEvent, user_hash: str | None) -> str | None:
        """One user in a 1:1 chat; in a group or room, that user within it (ids only as keyed hashes)."""
        if not user_hash:
            return None
        place = event.source.group_id or event.source.room_id
        return conversation_key("line", user_hash, hash_user_id(place, self._hash_key) if place else None)

    def _user_hash(self, event: LineEvent) -> str | None:
        uid = event.source.user_id
        return hash_user_id(uid, self._hash_key) if uid else None
