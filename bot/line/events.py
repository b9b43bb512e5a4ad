"""Our own (pydantic v2) models of the LINE webhook events the bot uses.

The webhook body is parsed from JSON straight into these models at the edge; the SDK's generated
pydantic.v1 models never travel inward. Every event type we do not act on, known to LINE or not,
becomes an :class:`IgnoredEvent`, and an event we do act on but that arrives malformed becomes one too,
so a strange event can never break the others in the same delivery.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

log = logging.getLogger("strategy_bot.line")

_QS_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
MEDIA_TYPES = ("image", "video", "audio", "file", "location", "sticker")


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class LineSource(_Model):
    type: str = "user"  # user | group | room
    user_id: str | None = Field(None, alias="userId")
    group_id: str | None = Field(None, alias="groupId")
    room_id: str | None = Field(None, alias="roomId")

    @property
    def is_group_chat(self) -> bool:
        return self.type in ("group", "room")


class DeliveryContext(_Model):
    is_redelivery: bool = Field(False, alias="isRedelivery")


class Mentionee(_Model):
    index: int = 0
    length: int = 0
    type: str = "user"  # user | all
    user_id: str | None = Field(None, alias="userId")
    is_self: bool = Field(False, alias="isSelf")


class Mention(_Model):
    mentionees: list[Mentionee] = Field(default_factory=list)


class TextContent(_Model):
    type: Literal["text"]
    id: str = ""
    text: str
    mention: Mention | None = None


class MediaContent(_Model):
    type: Literal["image", "video", "audio", "file", "location", "sticker"]
    id: str = ""


class OtherContent(_Model):
    """A message type LINE may add later; a known type that failed validation is not one of these."""

    type: str
    id: str = ""

    @field_validator("type")
    @classmethod
    def _not_a_known_type(cls, v: str) -> str:
        if v == "text" or v in MEDIA_TYPES:
            raise ValueError(f"malformed {v} message")
        return v


class _Event(_Model):
    type: str
    timestamp: int = 0
    mode: str = "active"
    webhook_event_id: str | None = Field(None, alias="webhookEventId")
    delivery_context: DeliveryContext = Field(default_factory=DeliveryContext, alias="deliveryContext")
    reply_token: str | None = Field(None, alias="replyToken")
    source: LineSource = Field(default_factory=LineSource)


class MessageEvent(_Event):
    type: Literal["message"]
    message: TextContent | MediaContent | OtherContent = Field(union_mode="left_to_right")


class FollowEvent(_Event):
    type: Literal["follow"]


class UnfollowEvent(_Event):
    type: Literal["unfollow"]


class JoinEvent(_Event):
    type: Literal["join"]


class Postback(_Model):
    data: str = ""
    params: dict[str, Any] = Field(default_factory=dict)


class PostbackEvent(_Event):
    type: Literal["postback"]
    postback: Postback


class IgnoredEvent(_Event):
    """Any event the bot does not act on (leave, beacon, unsend, memberJoined, an unknown type…)."""

    reason: str = "not handled"


LineEvent = MessageEvent | FollowEvent | UnfollowEvent | JoinEvent | PostbackEvent | IgnoredEvent

_MODELS: dict[str, type[_Event]] = {
    "message": MessageEvent,
    "follow": FollowEvent,
    "unfollow": UnfollowEvent,
    "join": JoinEvent,
    "postback": PostbackEvent,
}


def parse_event(raw: Any) -> LineEvent:
    """One event of a webhook body; never raises."""
    if not isinstance(raw, dict):
        return IgnoredEvent(type="invalid", reason="not an object")
    etype = raw.get("type")
    model = _MODELS.get(etype) if isinstance(etype, str) else None
    try:
        if model is not None:
            return model.model_validate(raw)  # type: ignore[return-value]
        fields = {k: raw[k] for k in ("timestamp", "mode", "webhookEventId", "deliveryContext") if k in raw}
        return IgnoredEvent.model_validate({**fields, "type": etype if isinstance(etype, str) else "invalid"})
    except ValidationError as exc:
        log.info("malformed LINE event type=%s ignored (%d validation errors)", etype, exc.error_count())
        event_id = raw.get("webhookEventId")
        return IgnoredEvent(
            type=etype if isinstance(etype, str) else "invalid",
            webhookEventId=event_id if isinstance(event_id, str) else None,
            reason="malformed",
        )


def parse_events(raw_events: list[Any]) -> list[LineEvent]:
    return [parse_event(r) for r in raw_events]


def postback_question(data: str) -> str | None:
    """The question a postback carries: ``q=…`` (or ``question=…``) in a query string, or plain text.

    A query string without a question (e.g. ``action=buyItem&itemId=1``) carries none.
    """
    data = data.strip()
    if not data:
        return None
    if "=" in data:
        fields = parse_qs(data, keep_blank_values=True)
        if fields and all(_QS_KEY.fullmatch(k) for k in fields):
            for key in ("q", "question", "text"):
                if fields.get(key) and fields[key][0].strip():
                    return fields[key][0].strip()
            return None
    return data


# --- addressing in groups and rooms ----------------------------------------------------------


def _remove_utf16_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Remove (index, length) spans counted in UTF-16 code units, as LINE counts mention positions."""
    units = text.encode("utf-16-le")
    for index, length in sorted(spans, reverse=True):
        if index < 0 or length <= 0:
            continue
        units = units[: 2 * index] + units[2 * (index + length) :]
    return units.decode("utf-16-le", errors="ignore")


def _strip_trigger(text: str, triggers: Sequence[str]) -> str | None:
    """The text after a leading trigger word (matched after NFKC and case folding, so 「戦略ＢＯＴ」
    counts), or None when it does not start with one. The rest of the text is kept as written."""
    body = text.lstrip()
    head = unicodedata.normalize("NFKC", body[:1]).casefold()
    for trigger in sorted(triggers, key=len, reverse=True):
        t = unicodedata.normalize("NFKC", trigger).strip().casefold()
        if not t or not t.startswith(head):  # cheap rejection of most messages
            continue
        for end in range(1, min(len(body), 2 * len(t) + 2) + 1):
            if unicodedata.normalize("NFKC", body[:end]).casefold() == t:
                return body[end:].lstrip(" \t\n　,、。:：")
    return None


def addressed_text(
    content: TextContent, *, group: bool, triggers: Sequence[str], bot_id: str | None
) -> str | None:
    """The question in a text message, or None when a group message is not addressed to the bot."""
    text = content.text
    mentioned = False
    if content.mention is not None:
        spans = [
            (m.index, m.length)
            for m in content.mention.mentionees
            if m.is_self or (bot_id is not None and m.user_id == bot_id)
        ]
        if spans:
            mentioned = True
            text = _remove_utf16_spans(text, spans)
    after_trigger = _strip_trigger(text, triggers)
    if after_trigger is not None:
        return after_trigger.strip()
    if group and not mentioned:
        return None
    return text.strip()
