"""A LINE text with a lone surrogate (``"\\ud800"`` is valid JSON) still gets an answer: the webhook
turns it into U+FFFD before it is stored, answered, rendered or logged."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from bot.line import limits as L
from handlers.reply import Query

TEXTS = ["\ud800", "待機児童\ud800の目標は？", "\udfff\ud800", "DMOとは\ud83d", "😀\udc00"]


def test_line_length_counts_a_lone_surrogate_as_one_unit() -> None:
    assert L.line_length("\ud800") == 1
    assert L.line_length("a😀\udfff") == 4  # an emoji outside the BMP is two
    assert L.clip("\ud800" * 10, 5).endswith("…")


def test_a_query_never_holds_a_lone_surrogate() -> None:
    assert Query(text="待機\ud800児童").text == "待機\ufffd児童"
    assert Query(text="😀").text == "😀"


@pytest.mark.parametrize("text", TEXTS, ids=ascii)
def test_text_with_a_lone_surrogate_is_answered(
    post: Callable[..., Any],
    rig: SimpleNamespace,
    line_api: SimpleNamespace,
    text_event: Callable[..., dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
    text: str,
) -> None:
    ev = text_event(text)
    body = json.dumps({"destination": rig.BOT_ID, "events": [ev]}).encode()  # ASCII: \ud800 escapes
    assert b"\\ud" in body
    with caplog.at_level(logging.INFO):
        assert post(body).status_code == 200
        (req,) = line_api.wait_for(1)
    assert req.body["replyToken"] == ev["replyToken"]
    assert req.messages and L.check_messages(req.messages) == []
    assert "error while handling" not in caplog.text


def test_postback_with_a_lone_surrogate_is_answered(
    post: Callable[..., Any], rig: SimpleNamespace, line_api: SimpleNamespace, event: Callable[..., Any]
) -> None:
    ev = event("postback", postback={"data": "q=待機児童\ud800とは"})
    assert post(json.dumps({"destination": rig.BOT_ID, "events": [ev]}).encode()).status_code == 200
    (req,) = line_api.wait_for(1)
    assert req.body["replyToken"] == ev["replyToken"] and req.messages
