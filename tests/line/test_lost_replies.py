"""A reply LINE never took is a lost reply: one clear log line (no text, the user as a keyed hash) and
the count on ``/healthz`` (``line_replies_lost``, from the inbox's outcomes of the last 24 hours)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from bot.line.api import LineSender
from bot.line.handling import replies_lost, send_reply

REPLY = "/v2/bot/message/reply"
QUESTION = "待機児童の目標は？"


def lost_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("LINE reply lost")]


def healthz_lost(http: httpx.Client) -> int:
    response = http.get("/healthz")
    assert response.status_code == 200
    return response.json()["line_replies_lost"]


def test_outage_longer_than_the_retries_loses_the_reply_once_and_says_so(
    line_api: SimpleNamespace, rig: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    clock = SimpleNamespace(now=1000.0)

    def sleep(seconds: float) -> None:  # the outage lasts: time passes only here
        clock.now += seconds

    sender = LineSender(line_api.url, rig.ACCESS_TOKEN, clock=lambda: clock.now, sleep=sleep)
    line_api.fail(REPLY, *[rig.Failure(503)] * 20)
    try:
        with caplog.at_level(logging.INFO):
            result = send_reply(sender, "rt-outage", [{"type": "text", "text": QUESTION}], "u_abc", 1000.0)
    finally:
        sender.close()
    assert not result.ok and result.status == 503 and 2 <= result.attempts <= 8
    assert all(r.body["replyToken"] == "rt-outage" for r in line_api.requests)
    [line] = lost_lines(caplog)
    assert "u_abc" in line and "HTTP 503" in line and QUESTION not in line
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [line]  # one line per lost reply


def test_lost_reply_is_counted_on_healthz(
    post: Callable[..., Any],
    rig: SimpleNamespace,
    line_api: SimpleNamespace,
    text_event: Callable[..., dict[str, Any]],
    http: httpx.Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = healthz_lost(http)
    line_api.fail(REPLY, rig.Failure(400, body={"message": "Invalid reply token"}))
    with caplog.at_level(logging.INFO):
        assert post(rig.body_of(text_event(QUESTION))).status_code == 200
        line_api.wait_for(1)
        deadline = time.monotonic() + 30
        while healthz_lost(http) != before + 1:
            assert time.monotonic() < deadline, "the lost reply was not counted"
            time.sleep(0.05)
    [line] = lost_lines(caplog)
    assert "HTTP 400" in line and "Invalid reply token" in line and "u_" in line
    assert QUESTION not in line and rig.USER_ID not in line
    ok = text_event("DMOとは")
    post(rig.body_of(ok))
    line_api.wait_for(2)
    assert healthz_lost(http) == before + 1  # a delivered reply is not counted


def test_replies_lost_counts_failed_expired_and_errors() -> None:
    outcomes = {"replied": 5, "no_reply": 2, "reply_failed:503": 2, "token_expired": 1, "error:KeyError": 1}
    assert replies_lost(outcomes) == 4
