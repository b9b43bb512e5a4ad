"""Our own (pydantic v2) models of what Slack sends, checked at the edge before Bolt sees a request.

Bolt trusts the shapes it is given: ``null`` as a body, an event that is not an object, a user id that
is a number or a channel that is ``true`` make it raise while it builds its context, and the request
comes back as a 5xx, which Slack retries. So every signed body is parsed here first, the way Bolt
parses it (JSON, or a form whose ``payload`` field is JSON), and validated:

- malformed (not JSON, not an object, a field of the wrong type, nested too deep): ``Malformed``;
  the endpoint answers 400 and nothing is done;
- well-formed but nothing the bot handles (an envelope or interaction type it does not know):
  ``Ignored``; the endpoint answers 200 and nothing is done;
- otherwise ``Accepted``: Bolt gets the request.

The models check the fields Bolt's context builder reads at every level it looks (``user``,
``channel``, ``team``, ``enterprise``, ``authorizations``, ``event``, ``message``, ``item``, ``view``…)
and the fields our listeners use (``bot.slack.app``, ``bot.slack.commands``); everything else is
allowed through as it is.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

MAX_DEPTH = 64  # Slack's payloads nest about a dozen levels (Block Kit inside a view or message)

Str = StrictStr | None


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class _Ref(_Model):
    """An id given as an object (``{"id": …}``), as Slack does for users, channels and teams."""

    id: Str = None
    team_id: Str = None
    enterprise_id: Str = None


class _Node(_Model):
    """The fields Bolt's context builder reads wherever it looks."""

    type: Str = None
    user: StrictStr | _Ref | None = None
    channel: StrictStr | _Ref | None = None
    team: StrictStr | _Ref | None = None
    enterprise: StrictStr | _Ref | None = None
    user_id: Str = None
    team_id: Str = None
    enterprise_id: Str = None
    channel_id: Str = None
    user_team: Str = None
    thread_ts: Str = None
    is_enterprise_install: StrictBool | StrictStr | None = None
    is_ext_shared_channel: StrictBool | None = None
    function_execution_id: Str = None


class _Inner(_Node):
    """A nested node Bolt also looks into (``message``, ``previous_message``, ``item``…)."""

    message: _Inner | None = None
    previous_message: _Inner | None = None
    item: _Inner | None = None
    assistant_thread: _Inner | None = None


class SlackEvent(_Inner):
    """``event`` of an ``event_callback``. The events the bot answers need their text and place."""

    type: StrictStr
    text: Str = None
    ts: Str = None
    subtype: Str = None
    bot_id: Str = None
    channel_type: Str = None


class _Answered(SlackEvent):
    """``app_mention`` and ``message``: what ``_on_mention`` / ``_on_message`` read."""

    user: Str = None
    channel: StrictStr
    ts: StrictStr


class _Authorization(_Model):
    team_id: Str = None
    enterprise_id: Str = None
    user_id: Str = None
    is_enterprise_install: StrictBool | StrictStr | None = None


class _Envelope(_Node):
    authorizations: list[_Authorization] | None = None


class EventCallback(_Envelope):
    type: Literal["event_callback"]
    event_id: Str = None
    event: SlackEvent


class UrlVerification(_Envelope):
    type: Literal["url_verification"]
    challenge: StrictStr


class _Action(_Model):
    action_id: Str = None
    value: Str = None


class _ViewState(_Model):
    values: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)


class _View(_Model):
    callback_id: Str = None
    private_metadata: Str = None
    team_id: Str = None
    app_installed_team_id: Str = None
    state: _ViewState = Field(default_factory=_ViewState)


class _Interaction(_Envelope):
    user: _Ref | None = None
    channel: _Ref | None = None
    response_url: Str = None
    trigger_id: Str = None
    container: dict[str, Any] | None = None
    message: _Inner | None = None
    view: _View | None = None


class BlockActions(_Interaction):
    type: Literal["block_actions"]
    actions: list[_Action] = Field(min_length=1)


class ViewSubmission(_Interaction):
    type: Literal["view_submission"]
    view: _View


class SlashCommand(_Model):
    """A slash command's form fields (always strings; Bolt needs ``command``)."""

    command: StrictStr
    text: StrictStr = ""


HANDLED_JSON = {"event_callback": EventCallback, "url_verification": UrlVerification}
HANDLED_PAYLOAD = {"block_actions": BlockActions, "view_submission": ViewSubmission}


class Verdict(BaseModel):
    kind: Literal["accepted", "ignored", "malformed"]
    reason: str = ""  # for the log: never the body's content


def _depth(value: Any, limit: int) -> int:
    """How deep ``value`` nests, counting up to ``limit + 1`` at most (iterative: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _Bad("not JSON") from exc


class _Bad(Exception):
    pass


def parse_body(body: str, content_type: str | None) -> tuple[str, Any]:
    """The body as Bolt reads it: ("json", value), ("payload", value) or ("form", fields)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/json" or body.startswith("{"):
        return "json", _json(body)
    fields = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in body and "payload" in fields:
        return "payload", _json(fields["payload"])
    return "form", fields


def judge(body: str, content_type: str | None) -> Verdict:
    """Whether Bolt may have this (signed) HTTP body: see the module's docstring."""
    if not body:
        return Verdict(kind="malformed", reason="empty body")
    try:
        kind, value = parse_body(body, content_type)
    except _Bad as exc:
        return Verdict(kind="malformed", reason=str(exc))
    return judge_parsed(kind, value)


SOCKET_KINDS = {"events_api": "json", "interactive": "payload", "slash_commands": "form"}


def judge_socket(envelope_type: str | None, payload: Any) -> Verdict:
    """The same check for a Socket Mode envelope's payload (already parsed by the SDK)."""
    kind = SOCKET_KINDS.get(envelope_type or "")
    if kind is None:
        return Verdict(kind="ignored", reason=f"envelope type {str(envelope_type)[:40]!r} is not handled")
    if kind == "form" and not isinstance(payload, dict):
        return Verdict(kind="malformed", reason=f"a {type(payload).__name__}, not an object")
    return judge_parsed(kind, payload)


def judge_parsed(kind: str, value: Any) -> Verdict:
    """``value`` as :func:`parse_body` returned it (kind json, payload or form)."""
    if kind == "form":
        if "command" in value:
            return _validate(SlashCommand, value)
        if "ssl_check" in value:
            return Verdict(kind="accepted")
        return Verdict(kind="ignored", reason="a form without a command or payload")
    if not isinstance(value, dict):
        return Verdict(kind="malformed", reason=f"a {type(value).__name__}, not an object")
    if _depth(value, MAX_DEPTH) > MAX_DEPTH:
        return Verdict(kind="malformed", reason=f"nested deeper than {MAX_DEPTH}")
    kind_type = value.get("type")
    if not isinstance(kind_type, str):
        return Verdict(kind="malformed", reason="no type")
    models = HANDLED_JSON if kind == "json" else HANDLED_PAYLOAD
    model = models.get(kind_type)
    if model is None:
        return Verdict(kind="ignored", reason=f"type {kind_type[:40]!r} is not handled")
    verdict = _validate(model, value)
    if verdict.kind == "accepted" and model is EventCallback:
        event = value["event"]
        if event.get("type") in ("app_mention", "message") and not event.get("subtype"):
            return _validate(_Answered, event)
    return verdict


def _validate(model: type[BaseModel], value: Any) -> Verdict:
    try:
        model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return Verdict(kind="malformed", reason=f"{model.__name__}: {where}: {first['type']}")
    return Verdict(kind="accepted")
