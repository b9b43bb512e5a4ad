"""Staff commands on Slack: ``/kpi``, ``/meeting`` (and its form), ``/strategy unanswered`` and the
KPI confirmation buttons, as listeners of :class:`bot.slack.app.SlackBot` (mixed in).

Staff commands run through *filters* before their handler (:meth:`StaffCommands.staff_only`,
:meth:`StaffCommands.parsed`): a filter returns the keyword arguments it adds, or a Reply that ends the
request (a refusal, a parse error).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict
from slack_sdk import WebClient

from bot.charts.links import ChartLinks
from bot.slack import render as R
from bot.slack import texts as T
from bot.slack.staff import StaffDirectory
from handlers import staff_kpi, staff_meetings, staff_unanswered
from handlers.reply import Reply
from store import Store
from strategy_data.clock import JST, now_jst

log = logging.getLogger("strategy_bot.slack")

MEETING_MODAL = "meeting_add"
_MEETING_FORM = "strategy_bot_meeting_form"  # the context key of a form that passed its checks


class Incoming(BaseModel):
    """What the filters and handlers need from a slash command, button click or form."""

    model_config = ConfigDict(frozen=True)

    user_id: str | None
    text: str = ""
    channel_id: str | None = None
    trigger_id: str | None = None


Filter = Callable[[Incoming], "dict[str, Any] | Reply"]
PREVIEW_TTL_SECONDS = 15 * 60.0  # a /kpi set confirmation button works for 15 minutes


class StaffCommands:
    """The staff listeners and their filters. The class they are mixed into provides ``db()``,
    ``store()`` (previews of ``/kpi set``, issued and confirmable once), ``user_hash()``, ``links()``
    and ``staff``."""

    staff: StaffDirectory

    def links(self) -> ChartLinks | None:  # pragma: no cover - provided by the class mixed into
        return None

    def db(self) -> Any:
        raise NotImplementedError

    def store(self) -> Store:
        raise NotImplementedError

    def user_hash(self, user_id: str | None) -> str | None:
        raise NotImplementedError

    def issue_preview(self, reply: Reply, actor: str) -> Reply:
        """Keep a ``/kpi set`` preview in the store; its button carries only the preview's code."""
        confirm = reply.data.get("confirm")
        if not confirm:
            return reply
        entry = confirm["entry"]
        code = self.store().previews.issue(
            staff_kpi.CONFIRM_ACTION,
            f"{entry['kpi_id']}:{entry['year']}",
            {"entry": entry},
            basis=confirm.get("basis"),
            issued_to=actor,
            ttl=PREVIEW_TTL_SECONDS,
        )
        data = {**reply.data, "confirm": {"action": staff_kpi.CONFIRM_ACTION, "code": code}}
        return reply.model_copy(update={"data": data})

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

    def _command(
        self,
        body: dict[str, Any],
        respond: Any,
        filters: list[Filter],
        handler: Callable[..., Reply],
    ) -> None:
        incoming = Incoming(
            user_id=body.get("user_id"),
            text=body.get("text", ""),
            channel_id=body.get("channel_id"),
            trigger_id=body.get("trigger_id"),
        )
        result = self.run_filters(incoming, filters)
        reply = result if isinstance(result, Reply) else handler(incoming=incoming, now=now_jst(), **result)
        if reply is not None:
            links = self.links() if reply.kpis else None
            respond(response_type="ephemeral", **R.render(reply, links=links))

    def _on_unanswered(self, body: dict[str, Any], respond: Any) -> None:
        def handle(incoming: Incoming, now: dt.datetime, command: Any, actor: str) -> Reply:
            return staff_unanswered.handle(self.store().backend, command, now=now)

        self._command(body, respond, [self.staff_only, self.parsed(staff_unanswered.parse)], handle)

    def _on_kpi(self, body: dict[str, Any], respond: Any) -> None:
        def handle(incoming: Incoming, now: dt.datetime, command: Any, actor: str) -> Reply:
            reply = staff_kpi.handle_kpi_command(self.db(), command, by=actor, now=now)
            return self.issue_preview(reply, actor)

        self._command(body, respond, [self.staff_only, self.parsed(staff_kpi.parse_kpi_command)], handle)

    def _on_meeting(self, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        def handle(incoming: Incoming, now: dt.datetime, command: Any, actor: str) -> Reply | None:
            if isinstance(command, staff_meetings.MeetingAddForm) and incoming.trigger_id:
                client.views_open(trigger_id=incoming.trigger_id, view=meeting_modal(incoming.channel_id))
                return None
            return staff_meetings.handle_meeting_command(self.db(), command, by=actor, now=now)

        filters = [self.staff_only, self.parsed(staff_meetings.parse_meeting_command)]
        self._command(body, respond, filters, handle)

    def _on_confirm(self, body: dict[str, Any], respond: Any) -> None:
        incoming = Incoming(user_id=(body.get("user") or {}).get("id"))
        result = self.staff_only(incoming)
        if isinstance(result, Reply):
            respond(response_type="ephemeral", replace_original=False, **R.render(result))
            return
        try:
            confirm = json.loads(body["actions"][0].get("value") or "{}")
        except json.JSONDecodeError:
            confirm = {}
        code = confirm.get("code") if confirm.get("action") == staff_kpi.CONFIRM_ACTION else None
        used = self.store().previews.use(str(code), by=result["actor"]) if isinstance(code, str) else None
        if used is None or used.preview is None:
            refusal = used.refusal if used is not None else "unknown"
            log.info("KPI confirmation refused (%s) for user=%s", refusal, self.user_hash(incoming.user_id))
            text = {
                "used": T.CONFIRM_ALREADY_USED,
                "expired": T.CONFIRM_EXPIRED,
                "other_user": T.CONFIRM_OTHER_USER,
            }.get(refusal or "unknown", T.CONFIRM_UNKNOWN)
            respond(replace_original=False, response_type="ephemeral", **R.render_text(text))
            return
        preview = used.preview
        reply = staff_kpi.confirm_set(
            self.db(), preview.payload["entry"], by=result["actor"], now=now_jst(), basis=preview.basis or {}
        )
        respond(replace_original=True, **R.render(reply))

    def _on_cancel(self, respond: Any) -> None:
        respond(replace_original=True, **R.render_text(T.CONFIRM_CANCELLED))

    def _check_meeting_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any], context: Any) -> None:
        """The form's acknowledgement: validated first, so that errors show next to their field. A
        valid meeting is left in the context for :meth:`_on_meeting_form`, the work after the ack."""
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
        context[_MEETING_FORM] = {"new": new, "actor": result["actor"], "now": now}
        ack()

    def _on_meeting_form(
        self, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
    ) -> None:
        """A valid meeting form, after its ack: the meeting is added and the staff member told."""
        checked = context.get(_MEETING_FORM)
        if checked is None:  # refused or invalid: the ack said why
            return
        from strategy_data.meetings import add_meeting

        reply = staff_meetings.added(
            add_meeting(self.db(), checked["new"], by=checked["actor"], now=checked["now"])
        )
        user = (body.get("user") or {}).get("id")
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


def is_unanswered_command(body: dict[str, Any]) -> bool:
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
