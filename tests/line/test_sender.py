"""LineSender: the real SDK client against the fake LINE API (retries, retry keys, errors)."""

from __future__ import annotations

import logging
import socket
import uuid
from types import SimpleNamespace

import pytest

from bot.line.api import LineSender

SECRET_TEXT = "ひみつの質問文"


@pytest.fixture
def sender(line_api: SimpleNamespace, rig: SimpleNamespace) -> LineSender:
    s = LineSender(line_api.url, rig.ACCESS_TOKEN, backoff=0.01, max_backoff=0.05)
    yield s
    s.close()


def test_reply_is_sent_with_token_and_auth(sender: LineSender, line_api: SimpleNamespace) -> None:
    result = sender.reply("token-1", [{"type": "text", "text": "こんにちは"}])
    assert result.ok and result.attempts == 1 and result.request_id
    (req,) = line_api.requests
    assert req.path == "/v2/bot/message/reply"
    assert req.body == {
        "replyToken": "token-1",
        "messages": [{"type": "text", "text": "こんにちは"}],
        "notificationDisabled": False,
    }
    assert req.headers["authorization"] == "Bearer test-access-token"


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_transient_errors_are_retried(
    sender: LineSender, line_api: SimpleNamespace, rig: SimpleNamespace, status: int
) -> None:
    line_api.fail("/v2/bot/message/reply", rig.Failure(status), rig.Failure(status))
    result = sender.reply("token-2", [{"type": "text", "text": "a"}])
    assert result.ok and result.attempts == 3
    assert [r.body["replyToken"] for r in line_api.requests] == ["token-2"] * 3


def test_429_retry_after_is_honoured(
    sender: LineSender, line_api: SimpleNamespace, rig: SimpleNamespace
) -> None:
    sleeps: list[float] = []
    sender._sleep = sleeps.append  # record instead of waiting
    line_api.fail("/v2/bot/message/reply", rig.Failure(429, headers={"Retry-After": "2"}))
    assert sender.reply("token-3", [{"type": "text", "text": "a"}]).ok
    assert sleeps and sleeps[0] >= 2


def test_client_errors_are_not_retried_and_logged_without_text(
    sender: LineSender, line_api: SimpleNamespace, rig: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    body = {"message": "Invalid reply token"}
    line_api.fail("/v2/bot/message/reply", rig.Failure(400, body=body))
    with caplog.at_level(logging.INFO):
        result = sender.reply("token-4", [{"type": "text", "text": SECRET_TEXT}])
    assert not result.ok and result.status == 400 and result.attempts == 1
    assert result.error == "Invalid reply token"
    assert "Invalid reply token" in caplog.text and SECRET_TEXT not in caplog.text


def test_reply_gives_up_when_the_token_would_expire(
    sender: LineSender, line_api: SimpleNamespace, rig: SimpleNamespace
) -> None:
    sender.reply_window = 0.05
    sender.backoff = 0.04
    line_api.fail("/v2/bot/message/reply", *[rig.Failure(500)] * 10)
    result = sender.reply("token-5", [{"type": "text", "text": "a"}])
    assert not result.ok and result.status == 500 and result.attempts < 5


def test_push_carries_the_same_retry_key_on_every_attempt(
    sender: LineSender, line_api: SimpleNamespace, rig: SimpleNamespace
) -> None:
    key = uuid.uuid4()
    line_api.fail("/v2/bot/message/push", rig.Failure(500), rig.Failure(503))
    result = sender.push(rig.USER_ID, [{"type": "text", "text": "第5回の会議は明日です"}], key)
    assert result.ok and result.attempts == 3
    assert [r.headers["x-line-retry-key"] for r in line_api.requests] == [str(key)] * 3
    assert line_api.requests[-1].body["to"] == rig.USER_ID


def test_push_409_means_already_delivered(
    sender: LineSender, line_api: SimpleNamespace, rig: SimpleNamespace
) -> None:
    line_api.fail(
        "/v2/bot/message/push",
        rig.Failure(
            409,
            body={"message": "The retry key is already accepted"},
            headers={"x-line-accepted-request-id": "req-first"},
        ),
    )
    result = sender.push(rig.USER_ID, [{"type": "text", "text": "a"}], str(uuid.uuid4()))
    assert result.ok and result.duplicate and result.request_id == "req-first"


def test_push_gives_up_after_its_attempts(
    sender: LineSender, line_api: SimpleNamespace, rig: SimpleNamespace
) -> None:
    line_api.fail("/v2/bot/message/push", *[rig.Failure(500)] * 5)
    result = sender.push(rig.USER_ID, [{"type": "text", "text": "a"}], uuid.uuid4(), attempts=2)
    assert not result.ok and result.attempts == 2 and len(line_api.requests) == 2


def test_push_rejects_a_retry_key_that_is_not_a_uuid(sender: LineSender) -> None:
    with pytest.raises(ValueError):
        sender.push("U1", [{"type": "text", "text": "a"}], "not-a-uuid")


def test_an_unreachable_api_fails_cleanly(rig: SimpleNamespace) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    sender = LineSender(f"http://127.0.0.1:{port}", rig.ACCESS_TOKEN, backoff=0.01, max_backoff=0.02)
    result = sender.reply("t", [{"type": "text", "text": "a"}])
    assert not result.ok and result.status is None and result.attempts > 1
    assert sender.push("U1", [{"type": "text", "text": "a"}], uuid.uuid4(), attempts=2).attempts == 2
    sender.close()


def test_messages_outside_the_schema_are_not_sent(sender: LineSender, line_api: SimpleNamespace) -> None:
    result = sender.reply("t", [{"type": "no-such-type"}])
    assert not result.ok and result.error == "invalid messages" and line_api.requests == []


def test_requests_are_plain_ascii_json_without_the_sdks_private_functions(
    sender: LineSender, line_api: SimpleNamespace
) -> None:
    """The sender posts JSON itself (no pydantic.v1 round trip, no private SDK functions); the JSON is
    ASCII, so even a lone surrogate cannot fail to encode."""
    import pathlib

    bot = pathlib.Path(__file__).resolve().parents[2] / "bot"
    assert not [p for p in bot.rglob("*.py") if "raw_function" in p.read_text(encoding="utf-8")]
    result = sender.push("U1", [{"type": "text", "text": "熊本\ud800"}], uuid.uuid4())
    assert result.ok
    (req,) = line_api.requests
    assert req.headers["content-type"] == "application/json"
    assert req.body["messages"][0]["text"] == "熊本\ud800"  # as sent: an escape in ASCII JSON
