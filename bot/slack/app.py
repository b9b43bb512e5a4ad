"""City staff on Slack: the slack-bolt app, over HTTP (``POST /slack/events``) or Socket Mode.

Anyone in the workspace can ask questions (app mention, direct message, ``/strategy 質問``) and gets
the same answers as on LINE, rendered in Block Kit. Staff (``SLACK_STAFF_USER_IDS`` or members of
``SLACK_STAFF_USERGROUP``) also have ``/kpi``, ``/meeting`` and ``/strategy unanswered``.

Every listener acknowledges first and works afterwards: Bolt runs it in its worker threads
(``process_before_response=False``, right for a long-running server), and the answer follows the
ack through ``chat.postMessage`` or the command's ``response_url``. Staff commands run through
*filters* before their handler (:func:`staff_only`, :func:`parsed`): a filter returns the keyword
arguments it adds, or a Reply that ends the request (a refusal, a parse error).

HTTP requests are signature-checked before anything is parsed (401, no side effect). Events are
deduplicated by ``event_id`` in SQLite: a retry (``X-Slack-Retry-Num``) of an event already taken
is acknowledged and not processed again, across restarts too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.context import AppContext
from bot.privacy import hash_user_id, user_hash_key
from bot.slack import render as R
from bot.slack import texts as T
from bot.slack.staff import StaffDirectory
from handlers import staff_kpi, staff_meetings, staff_unanswered
from handlers import subscriptions as _subscriptions  # noqa: F401  (registers /meeting invite)
from handlers.reply import Query, Reply
from strategy_data.clock import JST, now_jst

log = logging.getLogger("strategy_bot.slack")

MAX_QUESTION_CHARS = 2000
SEEN_KEEP = dt.timedelta(hours=24)
MEETING_MODAL = "meeting_add"
_BOT_ATTR = "slack_bot"


class Incoming(BaseModel):
    """What the filters and handlers need from a slash command, button click or form."""

    model_config = ConfigDict(frozen=True)

    user_id: str | None
    text: str = ""
    channel_id: str | None = None
    trigger_id: str | None = None


Filter = Callable[[Incoming], "dict[str, Any] | Reply"]


# --- text from Slack -----------------------------------------------------------------------------


def clean_text(text: str | None) -> str:
    """Slack's message text → what the user typed: mentions of the bot removed, links shown as
    their label, entities unescaped."""
    text = text or ""
    text = re.sub(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>", " ", text)
    text = re.sub(r"<#[A-Z0-9]+\|([^>]*)>", r"#\1", text)
    text = re.sub(r"<!(?:subteam\^[A-Z0-9]+\|)?([^>|]*)(?:\|[^>]*)?>", r"\1", text)
    text = re.sub(r"<([^>|]+)\|([^>]+)>", r"\2", text)
    text = re.sub(r"<([^>]+)>", r"\1", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


# --- request signatures ----------------------------------------------------------------------

MAX_CLOCK_SKEW = 5 * 60  # seconds: older (or newer) requests are refused as replays


def signature_ok(
    body: bytes, timestamp: str | None, signature: str | None, secret: str, now: float | None = None
) -> bool:
    """Slack's ``v0`` signature: HMAC-SHA256 of ``v0:{timestamp}:{body}``, and a fresh timestamp."""
    if not secret or not timestamp or not signature:
        return False
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - ts) > MAX_CLOCK_SKEW:
        return False
    base = b"v0:" + str(ts).encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


# --- event dedupe ------------------------------------------------------------------------------


_purge_lock = threading.Lock()
_last_purge = 0.0
PURGE_EVERY_SECONDS = 600.0


def claim_event(conn: Any, event_id: str, now: dt.datetime | None = None) -> bool:
    """Record ``event_id`` as taken; True only for the first caller (atomic across processes)."""
    global _last_purge
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    with conn:
        cur = conn.execute(
            "INSERT OR IGNORE INTO slack_seen_events (event_id, seen_at) VALUES (?, ?)",
            (event_id, moment.isoformat(timespec="milliseconds")),
        )
    fresh = cur.rowcount == 1
    with _purge_lock:
        due = time.monotonic() - _last_purge > PURGE_EVERY_SECONDS
        if due:
            _last_purge = time.monotonic()
    if due:  # now and then, forget ids older than a day (Slack retries within minutes)
        cutoff = (moment - SEEN_KEEP).isoformat(timespec="milliseconds")
        with conn:
            conn.execute("DELETE FROM slack_seen_events WHERE seen_at < ?", (cutoff,))
    return fresh


# --- the app -------------------------------------------------------------------------------------


class SlackBot:
    """The Bolt app and what its listeners share (database, answerer, staff directory)."""

    def __init__(self, ctx: AppContext, *, socket_mode: bool = False):
        settings = ctx.settings
        if settings.slack_bot_token is None:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        self.ctx = ctx
        self.socket_mode = socket_mode
        self.client = WebClient(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
        )
        signing_secret = (
            settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        )
        if not socket_mode and not signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET is not set")
        self.signing_secret = signing_secret
        # Bolt's own loggers print request bodies at INFO (e.g. on a bad signature): keep them at
        # WARNING so that message text and user ids never reach the logs together.
        bolt_logger = logging.getLogger("strategy_bot.slack.bolt")
        bolt_logger.setLevel(logging.WARNING)
        self.app = App(
            client=self.client,
            signing_secret=signing_secret,
            token_verification_enabled=False,  # auth.test on the first request, not at import
            request_verification_enabled=not socket_mode,
            process_before_response=False,
            logger=bolt_logger,
            listener_executor=ThreadPoolExecutor(max_workers=8, thread_name_prefix="slack-listener"),
        )
        self.staff = StaffDirectory(
            settings.slack_staff_user_ids, settings.slack_staff_usergroup, self.client
        )
        self._hash_key = user_hash_key(settings)
        self._nonces: OrderedDict[str, float] = OrderedDict()
        self._nonce_lock = threading.Lock()
        self._register()

    # -- shared helpers --------------------------------------------------------------------------

    def db(self) -> Any:
        return self.ctx.db()

    def user_hash(self, user_id: str | None) -> str | None:
        return hash_user_id(user_id, self._hash_key) if user_id else None

    def answer(self, text: str, user_id: str | None) -> Reply:
        """A question from anyone → the same Reply the LINE channel would get."""
        question = clean_text(text)
        if not question:
            return Reply(kind="help", answered=False, text=T.EMPTY_QUESTION)
        if len(question) > MAX_QUESTION_CHARS:
            return Reply(kind="error", answered=False, text=T.TOO_LONG)
        is_staff = self._is_staff_quietly(user_id)
        query = Query(text=question, channel="slack", user_hash=self.user_hash(user_id), is_staff=is_staff)
        reply = self.ctx.answerer().answer(query, db=self.db())  # this thread's connection
        log.info("slack answer kind=%s answered=%s user=%s", reply.kind, reply.answered, query.user_hash)
        return reply

    def _is_staff_quietly(self, user_id: str | None) -> bool:
        try:
            return self.staff.is_staff(user_id)
        except Exception:  # the answer must not depend on the user-group lookup
            return False

    def take_nonce(self, nonce: str | None) -> bool:
        """A confirmation button works once (a double click must not write twice)."""
        if not nonce:
            return False
        with self._nonce_lock:
            if nonce in self._nonces:
                return False
            self._nonces[nonce] = time.monotonic()
            while len(self._nonces) > 10_000:
                self._nonces.popitem(last=False)
            return True

    def run_filters(self, incoming: Incoming, filters: list[Filter]) -> dict[str, Any] | Reply:
        kwargs: dict[str, Any] = {}
        for f in filters:
            result = f(incoming)
            if isinstance(result, Reply):
                return result
            kwargs.update(result)
        return kwargs

    # -- filters ---------------------------------------------------------------------------------

    def staff_only(self, incoming: Incoming) -> dict[str, Any] | Reply:
        if self.staff.is_staff(incoming.user_id):
            return {"actor": f"slack:{incoming.user_id}"}
        log.info("staff command refused for user=%s", self.user_hash(incoming.user_id))
        return Reply(kind="error", answered=False, text=T.REFUSAL)

    @staticmethod
    def parsed(parser: Callable[[str], Any]) -> Filter:
        def parse(incoming: Incoming) -> dict[str, Any] | Reply:
            result = parser(incoming.text)
            return result if isinstance(result, Reply) else {"command": result}

        return parse

    # -- listeners -------------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.middleware(self._dedupe_events)
        app.error(self._on_error)
        app.event("app_mention")(self._on_mention)
        app.event("message")(self._on_message)
        app.event(re.compile(r".*"))(self._on_other_event)
        app.command("/strategy", matchers=[_is_unanswered_command])(self._on_unanswered)
        app.command("/strategy")(self._on_strategy)
        app.command("/kpi")(self._on_kpi)
        app.command("/meeting")(self._on_meeting)
        app.action(R.ASK_ACTION)(self._on_suggestion)
        app.action(R.CONFIRM_ACTION)(self._on_confirm)
        app.action(R.CANCEL_ACTION)(self._on_cancel)
        app.view(MEETING_MODAL)(self._on_meeting_form)

    def _dedupe_events(self, body: dict[str, Any], req: BoltRequest, next: Callable[[], None]) -> Any:
        retry = (req.headers.get("x-slack-retry-num") or [None])[0]
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is None:
            if retry is not None:  # a retried request we cannot identify: acknowledge only
                return BoltResponse(status=200, body="")
            return next()
        try:
            fresh = claim_event(self.db().conn, str(event_id))
        except Exception as exc:  # the dedupe table must not cost an answer
            log.warning("slack event dedupe failed (%s); processing the event", type(exc).__name__)
            fresh = retry is None
        if not fresh:
            log.info("slack event already taken (retry=%s): acknowledged, not processed", retry)
            return BoltResponse(status=200, body="")
        return next()

    def _on_error(self, error: Exception, body: dict[str, Any], respond: Any) -> None:
        log.error("slack listener failed: %s", type(error).__name__, exc_info=error)
        try:
            if body.get("response_url"):
                respond(response_type="ephemeral", replace_original=False, **R.render_text(T.INTERNAL_ERROR))
        except Exception:  # pragma: no cover - nothing more we can do
            log.warning("could not report the error to the user")

    def _post_answer(
        self, client: WebClient, channel: str, text: str, user: str | None, thread_ts: str | None
    ) -> None:
        reply = self.answer(text, user)
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **R.render(reply))

    def _on_mention(self, event: dict[str, Any], client: WebClient) -> None:
        self._post_answer(
            client,
            event["channel"],
            event.get("text", ""),
            event.get("user"),
            event.get("thread_ts") or event["ts"],
        )

    def _on_message(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # only people's direct messages; edits, joins and bot posts are ignored
        self._post_answer(
            client, event["channel"], event.get("text", ""), event.get("user"), event.get("thread_ts")
        )

    def _on_other_event(self) -> None:
        """Acknowledge events the bot does not act on (a 404 would make Slack retry them)."""

    def _command(
        self,
        ack: Any,
        body: dict[str, Any],
        respond: Any,
        filters: list[Filter],
        handler: Callable[..., Reply],
    ) -> None:
        ack()
        incoming = Incoming(
            user_id=body.get("user_id"),
            text=body.get("text", ""),
            channel_id=body.get("channel_id"),
            trigger_id=body.get("trigger_id"),
        )
        result = self.run_filters(incoming, filters)
        reply = result if isinstance(result, Reply) else handler(incoming=incoming, now=now_jst(), **result)
        if reply is not None:
            respond(response_type="ephemeral", **R.render(reply))

    def _on_strategy(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        text = body.get("text", "")
        reply = self.answer(text, body.get("user_id"))
        respond(response_type="ephemeral", **R.render(reply, question=clean_text(text) or None))

    def _on_unanswered(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        def handle(incoming: Incoming, now: dt.datetime, command: Any, actor: str) -> Reply:
            return staff_unanswered.handle(self.db(), command, now=now)

        self._command(ack, body, respond, [self.staff_only, self.parsed(staff_unanswered.parse)], handle)

    def _on_kpi(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        def handle(incoming: Incoming, now: dt.datetime, command: Any, actor: str) -> Reply:
            return staff_kpi.handle_kpi_command(self.db(), command, by=actor, now=now)

        self._command(ack, body, respond, [self.staff_only, self.parsed(staff_kpi.parse_kpi_command)], handle)

    def _on_meeting(self, ack: Any, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        def handle(incoming: Incoming, now: dt.datetime, command: Any, actor: str) -> Reply | None:
            if isinstance(command, staff_meetings.MeetingAddForm) and incoming.trigger_id:
                client.views_open(trigger_id=incoming.trigger_id, view=meeting_modal(incoming.channel_id))
                return None
            return staff_meetings.handle_meeting_command(self.db(), command, by=actor, now=now)

        filters = [self.staff_only, self.parsed(staff_meetings.parse_meeting_command)]
        self._command(ack, body, respond, filters, handle)

    def _on_suggestion(self, ack: Any, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack()
        question = body["actions"][0].get("value", "")
        user = (body.get("user") or {}).get("id")
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id")
        if container.get("is_ephemeral") or not channel:
            reply = self.answer(question, user)
            respond(response_type="ephemeral", replace_original=False, **R.render(reply, question=question))
            return
        message = body.get("message") or {}
        self._post_answer(client, channel, question, user, message.get("thread_ts"))

    def _on_confirm(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        incoming = Incoming(user_id=(body.get("user") or {}).get("id"))
        result = self.staff_only(incoming)
        if isinstance(result, Reply):
            respond(response_type="ephemeral", replace_original=False, **R.render(result))
            return
        try:
            confirm = json.loads(body["actions"][0].get("value") or "{}")
        except json.JSONDecodeError:
            confirm = {}
        if confirm.get("action") != staff_kpi.CONFIRM_ACTION or not isinstance(confirm.get("entry"), dict):
            respond(replace_original=False, response_type="ephemeral", **R.render_text(T.INTERNAL_ERROR))
            return
        if not self.take_nonce(confirm.get("nonce")):
            respond(
                replace_original=False, response_type="ephemeral", **R.render_text(T.CONFIRM_ALREADY_USED)
            )
            return
        reply = staff_kpi.confirm_set(self.db(), confirm["entry"], by=result["actor"], now=now_jst())
        respond(replace_original=True, **R.render(reply))

    def _on_cancel(self, ack: Any, respond: Any) -> None:
        ack()
        respond(replace_original=True, **R.render_text(T.CONFIRM_CANCELLED))

    def _on_meeting_form(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        """The form is validated before the ack, so that errors show next to their field."""
        user = (body.get("user") or {}).get("id")
        result = self.staff_only(Incoming(user_id=user))
        if isinstance(result, Reply):
            ack(response_action="errors", errors={"place": T.REFUSAL})
            return
        values = view.get("state", {}).get("values", {})

        def value(block: str, action: str, key: str) -> str:
            return str((values.get(block, {}).get(action) or {}).get(key) or "")

        command = staff_meetings.MeetingAdd(
            date=value("date", "date", "selected_date"),
            time=value("time", "time", "selected_time"),
            place=value("place", "place", "value"),
            agenda=value("agenda", "agenda", "value"),
        )
        now = now_jst()
        try:
            new = staff_meetings.draft_meeting(command, now)
        except staff_meetings.MeetingDraftError as exc:
            ack(response_action="errors", errors=exc.problems)
            return
        ack()
        from strategy_data.meetings import add_meeting

        reply = staff_meetings.added(add_meeting(self.db(), new, by=result["actor"], now=now))
        channel = view.get("private_metadata") or None
        message = R.render(reply)
        if channel and user:
            try:
                client.chat_postEphemeral(channel=channel, user=user, **message)
                return
            except Exception as exc:  # e.g. the bot is not in that channel: tell the user directly
                log.info("ephemeral confirmation failed (%s); sending a direct message", type(exc).__name__)
        if user:
            client.chat_postMessage(channel=user, **message)

    # -- HTTP ------------------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        """``POST /slack/events``: events, slash commands, button clicks and forms."""
        try:
            body = await request.body()
        except ClientDisconnect:
            return Response(status_code=400)
        if len(body) > self.ctx.settings.max_body_bytes:
            return JSONResponse({"error": "payload too large"}, status_code=413)
        # The signature is checked on the raw bytes before anything is parsed; Bolt checks again.
        if not signature_ok(
            body,
            request.headers.get("x-slack-request-timestamp"),
            request.headers.get("x-slack-signature"),
            self.signing_secret,
        ):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            bolt_request = BoltRequest(
                body=body.decode("utf-8"), query=request.url.query, headers=dict(request.headers)
            )
        except (UnicodeDecodeError, ValueError):
            return JSONResponse({"error": "malformed body"}, status_code=400)
        bolt_response: BoltResponse = await run_in_threadpool(self.app.dispatch, bolt_request)
        if bolt_response.status >= 500:
            # Bolt turns an exception before the ack (e.g. Slack unreachable for auth.test) into a
            # 500; say "try later" instead, which Slack retries for events.
            log.warning("slack request failed before the ack (status %s)", bolt_response.status)
            return JSONResponse({"error": "temporarily unavailable"}, status_code=503)
        return Response(
            status_code=bolt_response.status,
            content=bolt_response.body,
            headers=bolt_response.first_headers_without_set_cookie(),
        )


def _is_unanswered_command(body: dict[str, Any]) -> bool:
    return staff_unanswered.is_command(body.get("text", ""))


def meeting_modal(channel_id: str | None) -> dict[str, Any]:
    def block(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> dict[str, Any]:
        return {
            "type": "input",
            "block_id": block_id,
            "optional": optional,
            "label": {"type": "plain_text", "text": label},
            "element": {"action_id": block_id, **element},
        }

    tomorrow = (dt.datetime.now(JST) + dt.timedelta(days=1)).date().isoformat()
    return {
        "type": "modal",
        "callback_id": MEETING_MODAL,
        "private_metadata": channel_id or "",
        "title": {"type": "plain_text", "text": T.MEETING_MODAL_TITLE},
        "submit": {"type": "plain_text", "text": T.MEETING_MODAL_SUBMIT},
        "close": {"type": "plain_text", "text": T.MEETING_MODAL_CLOSE},
        "blocks": [
            block("date", T.MEETING_MODAL_DATE, {"type": "datepicker", "initial_date": tomorrow}),
            block("time", T.MEETING_MODAL_TIME, {"type": "timepicker", "initial_time": "14:00"}),
            block(
                "place",
                T.MEETING_MODAL_PLACE,
                {
                    "type": "plain_text_input",
                    "placeholder": {"type": "plain_text", "text": T.MEETING_MODAL_PLACE_HINT},
                },
            ),
            block(
                "agenda",
                T.MEETING_MODAL_AGENDA,
                {"type": "plain_text_input", "multiline": True},
                optional=True,
            ),
        ],
    }


# --- wiring ------------------------------------------------------------------------------------


def get_bot(ctx: AppContext) -> SlackBot | None:
    """The running Slack app, for modules that post to Slack (e.g. reminders)."""
    return getattr(ctx, _BOT_ATTR, None)


def routes(ctx: AppContext) -> list[BaseRoute]:
    """``POST /slack/events`` when the HTTP mode is configured (signing secret and bot token)."""
    if not ctx.settings.slack_http_enabled:
        log.info("Slack HTTP mode off: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not both set")
        return []
    bot = SlackBot(ctx)
    setattr(ctx, _BOT_ATTR, bot)
    return [Route("/slack/events", bot.endpoint, methods=["POST"])]
