"""City staff on Slack: the slack-bolt app, over HTTP (``POST /slack/events``) or Socket Mode.

Anyone in the workspace can ask questions (app mention, direct message, ``/strategy 質問``) and gets
the same answers as on LINE, rendered in Block Kit. Staff (``SLACK_STAFF_USER_IDS`` or members of
``SLACK_STAFF_USERGROUP``) also have ``/kpi``, ``/meeting`` and ``/strategy unanswered``.

Every listener is split in two (Bolt's lazy listeners): an acknowledgement that Bolt runs in the
request's own thread before it answers Slack (``process_before_response=True``: no waiting for a
worker, no polling), and the work, which Bolt hands to the worker pool (``bot.slack.work``) before
the acknowledgement is sent. The answer follows the ack through ``chat.postMessage`` or the
command's ``response_url``. The staff commands' listeners and their filters are in
``bot.slack.commands``; the meeting form is validated in its acknowledgement, so that its errors
show next to their fields.

HTTP requests are signature-checked before anything is parsed (401, no side effect; ``signature``).
Events are deduplicated by ``event_id`` in the store (``store.once``): a retry (``X-Slack-Retry-Num``)
of an event already taken is acknowledged and not processed again, across restarts and replicas too;
a replayed signed command, click or form is acknowledged and ignored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.charts.links import ChartLinks, chart_links
from bot.context import AppContext
from bot.http_body import read_limited
from bot.privacy import hash_user_id, user_hash_key
from bot.slack import envelope
from bot.slack import render as R
from bot.slack import texts as T
from bot.slack.commands import MEETING_MODAL, StaffCommands, is_unanswered_command
from bot.slack.signature import signature_ok
from bot.slack.staff import StaffDirectory
from bot.slack.work import WorkPool, ack_at_once, lazy
from handlers import subscriptions as _subscriptions  # noqa: F401  (registers /meeting invite)
from handlers.reply import Query, Reply
from nlp.normalize import without_lone_surrogates
from store import Store, StoreUnavailable
from store.conversations import conversation_key
from store.once import request_digest

log = logging.getLogger("strategy_bot.slack")

MAX_QUESTION_CHARS = 2000
_BOT_ATTR = "slack_bot"


# --- text from Slack -----------------------------------------------------------------------------


def clean_text(text: str | None) -> str:
    """Slack's message text → what the user typed: mentions of the bot removed, links shown as
    their label, entities unescaped; a lone surrogate becomes U+FFFD."""
    text = without_lone_surrogates(text or "")
    text = re.sub(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>", " ", text)
    text = re.sub(r"<#[A-Z0-9]+\|([^>]*)>", r"#\1", text)
    text = re.sub(r"<!(?:subteam\^[A-Z0-9]+\|)?([^>|]*)(?:\|[^>]*)?>", r"\1", text)
    text = re.sub(r"<([^>|]+)\|([^>]+)>", r"\2", text)
    text = re.sub(r"<([^>]+)>", r"\1", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


# --- the app -------------------------------------------------------------------------------------


class SlackBot(StaffCommands):
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
        self.work = WorkPool(max_workers=8, thread_name_prefix="slack-listener")  # after the ack
        # Bolt's own loggers print request bodies at INFO (e.g. on a bad signature): keep them at
        # WARNING so that message text and user ids never reach the logs together.
        bolt_logger = logging.getLogger("strategy_bot.slack.bolt")
        bolt_logger.setLevel(logging.WARNING)
        self.app = App(
            client=self.client,
            signing_secret=signing_secret,
            token_verification_enabled=False,  # auth.test on the first request, not at import
            request_verification_enabled=not socket_mode,
            process_before_response=True,  # acks run inline; the work is lazy (see _register)
            logger=bolt_logger,
            listener_executor=self.work,
        )
        self.staff = StaffDirectory(
            settings.slack_staff_user_ids, settings.slack_staff_usergroup, self.client
        )
        self._hash_key = user_hash_key(settings)
        self._register()

    # -- shared helpers --------------------------------------------------------------------------

    def db(self) -> Any:
        return self.ctx.db()

    def store(self) -> Store:
        return self.ctx.store()

    def user_hash(self, user_id: str | None) -> str | None:
        return hash_user_id(user_id, self._hash_key) if user_id else None

    def links(self) -> ChartLinks | None:
        """Chart URLs for image blocks when PUBLIC_BASE_URL is an https URL (else no images)."""
        return chart_links(self.ctx.settings.public_base_url, self.db())

    def answer(self, text: str, user_id: str | None, place: str | None = None) -> Reply:
        """A question from anyone → the same Reply the LINE channel would get. ``place`` is where the
        conversation goes on (a DM's channel, or a channel and thread), so follow-ups keep their topic."""
        question = clean_text(text)
        if not question:
            return Reply(kind="help", answered=False, text=T.EMPTY_QUESTION)
        if len(question) > MAX_QUESTION_CHARS:
            return Reply(kind="error", answered=False, text=T.TOO_LONG)
        is_staff = self._is_staff_quietly(user_id)
        user_hash = self.user_hash(user_id)
        conversation = conversation_key("slack", user_hash, place) if user_hash and place else None
        query = Query(
            text=question, channel="slack", user_hash=user_hash, is_staff=is_staff, conversation=conversation
        )
        reply = self.ctx.answerer().answer(query, db=self.db())  # this thread's connection
        log.info("slack answer kind=%s answered=%s user=%s", reply.kind, reply.answered, query.user_hash)
        return reply

    def _is_staff_quietly(self, user_id: str | None) -> bool:
        try:
            return self.staff.is_staff(user_id)
        except Exception:  # the answer must not depend on the user-group lookup
            return False

    # -- listeners -------------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.middleware(self._dedupe_events)
        app.error(self._on_error)

        def later(work: Callable[..., None]) -> Callable[..., None]:
            return lazy(work, on_error=self._on_error)

        app.event("app_mention")(ack=ack_at_once, lazy=[later(self._on_mention)])
        app.event("message")(ack=ack_at_once, lazy=[later(self._on_message)])
        app.event(re.compile(r".*"))(self._on_other_event)
        app.command("/strategy", matchers=[is_unanswered_command])(
            ack=ack_at_once, lazy=[later(self._on_unanswered)]
        )
        app.command("/strategy")(ack=ack_at_once, lazy=[later(self._on_strategy)])
        app.command("/kpi")(ack=ack_at_once, lazy=[later(self._on_kpi)])
        app.command("/meeting")(ack=ack_at_once, lazy=[later(self._on_meeting)])
        app.action(R.ASK_ACTION)(ack=ack_at_once, lazy=[later(self._on_suggestion)])
        app.action(R.SHARE_ACTION)(ack=ack_at_once, lazy=[later(self._on_share)])
        app.action(R.CONFIRM_ACTION)(ack=ack_at_once, lazy=[later(self._on_confirm)])
        app.action(R.CANCEL_ACTION)(ack=ack_at_once, lazy=[later(self._on_cancel)])
        app.view(MEETING_MODAL)(ack=self._check_meeting_form, lazy=[later(self._on_meeting_form)])

    def _dedupe_events(self, body: dict[str, Any], req: BoltRequest, next: Callable[[], None]) -> Any:
        """Each event once (by ``event_id``, retries included) and each signed command, click or form
        once (by a digest of its signed timestamp and body: a replay within the 5-minute signature
        window must not add a second meeting). Both keys are kept in the store."""
        retry = (req.headers.get("x-slack-retry-num") or [None])[0]
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is None:
            if retry is not None:  # a retried request we cannot identify: acknowledge only
                return BoltResponse(status=200, body="")
            timestamp = (req.headers.get("x-slack-request-timestamp") or [None])[0]
            if timestamp is None:  # Socket Mode: no signed request to replay
                return next()
            digest = request_digest(str(timestamp), req.raw_body.encode("utf-8"))
            try:
                first = self.store().once.first_command(digest)
            except StoreUnavailable as exc:
                log.warning("slack request dedupe unavailable (%s); processing the request", exc)
                first = True
            if not first:
                log.warning("slack: the same signed request arrived again (a replay): acknowledged, ignored")
                return BoltResponse(status=200, body="")
            return next()
        try:
            fresh = self.store().once.first_slack_event(str(event_id))
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
        place = f"{channel}/{thread_ts}" if thread_ts else channel  # a thread, or the DM itself
        reply = self.answer(text, user, place)
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **R.render(reply, links=self.links()))

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

    def _on_strategy(self, body: dict[str, Any], respond: Any) -> None:
        text = body.get("text", "")
        reply = self.answer(text, body.get("user_id"), body.get("channel_id"))
        question = clean_text(text) or None
        respond(
            response_type="ephemeral",
            **R.render(reply, question=question, links=self.links(), share=reply.answered),
        )

    def _on_share(self, body: dict[str, Any], respond: Any) -> None:
        """「チャンネルに共有」 under a /strategy answer: the same answer, posted for everyone."""
        question = body["actions"][0].get("value", "")
        user = (body.get("user") or {}).get("id")
        # in the /strategy conversation of that channel: a follow-up (「その目標は？」) is shared with
        # the topic it was asked about, not answered as if asked out of the blue
        reply = self.answer(question, user, _channel_of(body))
        message = R.render(reply, question=question, links=self.links())
        if user:
            message["blocks"].insert(0, R.shared_by(user))
        respond(response_type="in_channel", replace_original=False, **message)
        respond(delete_original=True)  # the private copy with the button goes

    def _on_suggestion(self, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        question = body["actions"][0].get("value", "")
        user = (body.get("user") or {}).get("id")
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id")
        if container.get("is_ephemeral") or not channel:
            reply = self.answer(question, user, _channel_of(body))  # the /strategy conversation
            respond(
                response_type="ephemeral",
                replace_original=False,
                **R.render(reply, question=question, links=self.links()),
            )
            return
        message = body.get("message") or {}
        self._post_answer(client, channel, question, user, message.get("thread_ts"))

    # -- HTTP ------------------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        """``POST /slack/events``: events, slash commands, button clicks and forms."""
        try:
            body = await read_limited(request, self.ctx.settings.max_body_bytes)
        except ClientDisconnect:
            return Response(status_code=400)
        if isinstance(body, Response):
            return body
        # The signature is checked on the raw bytes before anything is parsed; Bolt checks again.
        if not signature_ok(
            body,
            request.headers.get("x-slack-request-timestamp"),
            request.headers.get("x-slack-signature"),
            self.signing_secret,
        ):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return JSONResponse({"error": "malformed body"}, status_code=400)
        verdict = envelope.judge(text, request.headers.get("content-type"))
        if verdict.kind == "malformed":
            log.info("slack request refused as malformed: %s", verdict.reason)
            return JSONResponse({"error": "malformed body"}, status_code=400)
        if verdict.kind == "ignored":
            log.info("slack request acknowledged, not handled: %s", verdict.reason)
            return Response(status_code=200)
        try:
            bolt_request = BoltRequest(body=text, query=request.url.query, headers=dict(request.headers))
        except Exception as exc:  # whatever the models let through must still not become a 500
            log.warning("slack request refused: Bolt could not read it (%s)", type(exc).__name__)
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


def _channel_of(body: dict[str, Any]) -> str | None:
    """The channel of a click (where its /strategy conversation goes on)."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


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
