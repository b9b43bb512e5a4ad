"""Our event models: every event of the SDK's own sample parses, unknown types are ignored."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from bot.line.events import (
    FollowEvent,
    IgnoredEvent,
    JoinEvent,
    MediaContent,
    MessageEvent,
    PostbackEvent,
    TextContent,
    UnfollowEvent,
    addressed_text,
    parse_event,
    parse_events,
    postback_question,
)


def test_the_sdk_sample_parses_into_our_models(rig: SimpleNamespace) -> None:
    raw = json.loads(rig.PEER_FILE.read_text(encoding="utf-8"))["events"]
    events = parse_events(raw)
    assert len(events) == len(raw) == 28
    kinds = [type(e).__name__ for e in events]
    assert kinds.count("MessageEvent") == 11
    assert sum(isinstance(e, FollowEvent) for e in events) == 1
    assert sum(isinstance(e, UnfollowEvent) for e in events) == 1
    assert sum(isinstance(e, JoinEvent) for e in events) == 1
    assert sum(isinstance(e, PostbackEvent) for e in events) == 4
    ignored = {e.type for e in events if isinstance(e, IgnoredEvent)}
    assert ignored == {
        "leave",
        "beacon",
        "accountLink",
        "memberJoined",
        "memberLeft",
        "unsend",
        "videoPlayComplete",
        "messageEdited",
        "undefined",
    }
    texts = [e.message for e in events if isinstance(e, MessageEvent) and isinstance(e.message, TextContent)]
    assert {t.text for t in texts} == {"Hello, world"}
    media = {
        e.message.type for e in events if isinstance(e, MessageEvent) and isinstance(e.message, MediaContent)
    }
    assert media == {"image", "video", "audio", "location", "sticker", "file"}
    assert all(e.webhook_event_id == "testwebhookeventid" for e in events)
    redelivered = [e for e in events if e.delivery_context.is_redelivery]
    assert len(redelivered) == 2


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "text",
        [],
        {},
        {"type": 5},
        {"type": "message"},  # no message
        {"type": "message", "message": {"type": "text"}},  # no text
        {"type": "message", "message": {"type": "text", "text": 42}},
        {"type": "postback", "postback": "x"},
        {"type": "follow", "source": "nobody"},
        {"type": "somethingNew", "webhookEventId": "E1", "payload": {"deep": [1, 2]}},
    ],
)
def test_malformed_or_unknown_events_become_ignored(raw: object) -> None:
    event = parse_event(raw)
    assert isinstance(event, IgnoredEvent)


def test_a_new_message_type_is_kept_as_other_content() -> None:
    event = parse_event({"type": "message", "message": {"type": "hologram", "id": "1"}, "replyToken": "r"})
    assert isinstance(event, MessageEvent)
    assert event.message.type == "hologram"


@pytest.mark.parametrize(
    ("data", "question"),
    [
        ("q=%E5%BE%85%E6%A9%9F%E5%85%90%E7%AB%A5%E3%81%A8%E3%81%AF", "待機児童とは"),
        ("question=KPI一覧", "KPI一覧"),
        ("action=ask&q=DMOとは", "DMOとは"),
        ("待機児童の目標は？", "待機児童の目標は？"),
        ("1+1=2ってKPI？", "1+1=2ってKPI？"),  # not a query string: plain text
        ("action=buyItem&itemId=123123&color=red", None),
        ("q=", None),
        ("", None),
        ("   ", None),
    ],
)
def test_postback_question(data: str, question: str | None) -> None:
    assert postback_question(data) == question


TRIGGERS = ["熊本市bot", "戦略bot", "@戦略bot"]


def _text(text: str, mentionees: list[dict] | None = None) -> TextContent:
    raw: dict = {"type": "text", "text": text}
    if mentionees is not None:
        raw["mention"] = {"mentionees": mentionees}
    return TextContent.model_validate(raw)


@pytest.mark.parametrize(
    ("text", "mentionees", "group", "expected"),
    [
        ("待機児童の目標は？", None, False, "待機児童の目標は？"),
        ("待機児童の目標は？", None, True, None),  # group, not addressed
        ("戦略bot 待機児童の目標は？", None, True, "待機児童の目標は？"),
        ("@戦略bot　待機児童の目標は？", None, True, "待機児童の目標は？"),
        ("戦略ＢＯＴ、DMOとは", None, True, "DMOとは"),  # full-width trigger, NFKC
        (
            "@熊本市戦略bot 待機児童の目標は？",
            [{"index": 0, "length": 9, "isSelf": True}],
            True,
            "待機児童の目標は？",
        ),
        ("ねえ @熊本市戦略bot DMOとは", [{"index": 3, "length": 9, "isSelf": True}], True, "ねえ  DMOとは"),
        ("😀@bot DMOとは", [{"index": 2, "length": 4, "userId": "Ubot"}], True, "😀 DMOとは"),  # UTF-16 index
        ("@田中さん DMOとは", [{"index": 0, "length": 5, "userId": "Uother", "isSelf": False}], True, None),
        ("@All DMOとは", [{"index": 0, "length": 4, "type": "all"}], True, None),
        ("@熊本市戦略bot", [{"index": 0, "length": 9, "isSelf": True}], True, ""),
    ],
)
def test_addressed_text(text: str, mentionees: list[dict] | None, group: bool, expected: str | None) -> None:
    content = _text(text, mentionees)
    assert addressed_text(content, group=group, triggers=TRIGGERS, bot_id="Ubot") == expected
