"""``POST /slack/events`` against hostile and malformed input: a huge chunked body is refused with 413
while it streams in, and signed bodies Bolt cannot read get 400 (malformed) or 200 (well-formed, not
handled), never a 5xx that Slack would retry; nothing is posted for them and the server stays fine."""

from __future__ import annotations

import json
import select
import socket
import time
import urllib.parse
from typing import Any

import pytest

SlackRig = Any  # the ``rig`` fixture of tests/slack/conftest.py

MB = 1024 * 1024
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def api(method: str):
    return lambda c: c.api == method


def stream_until_answered(url: str, path: str, total: int, headers: dict[str, str]) -> tuple[bytes, int]:
    """POST a chunked body of ``total`` bytes, stopping as soon as the server answers; returns the
    status line and the number of bytes sent."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Transfer-Encoding: chunked"]
    sock.sendall(("\r\n".join(lines + [f"{k}: {v}" for k, v in headers.items()]) + "\r\n\r\n").encode())
    chunk = b"%x\r\n" % (64 * 1024) + b"x" * (64 * 1024) + b"\r\n"
    sent = 0
    try:
        while sent < total and not select.select([sock], [], [], 0)[0]:
            sock.sendall(chunk)
            sent += 64 * 1024
        answer = sock.recv(4096)
    finally:
        sock.close()
    return answer.split(b"\r\n", 1)[0], sent


def test_huge_chunked_body_is_refused_while_it_streams(rig: SlackRig) -> None:
    headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}
    status, sent = stream_until_answered(rig.url, "/slack/events", 256 * MB, headers)
    assert status.startswith(b"HTTP/1.1 413")
    assert sent < 64 * MB  # answered once the limit (256 kB) was passed, not after reading it all
    assert rig.post(b"x" * (300 * 1024), JSON).status_code == 413  # a declared length too


def _event(**fields: Any) -> bytes:
    event = {"type": "app_mention", "user": "UCITIZEN1", "channel": "C0PUBLIC1", "ts": "1.1", "text": "hi"}
    return json.dumps({"type": "event_callback", "event_id": "EvBAD", "event": {**event, **fields}}).encode()


MALFORMED = {
    "null": (b"null", JSON),
    "list": (b"[]", JSON),
    "number": (b"123", JSON),
    "event null": (b'{"type":"event_callback","event":null}', JSON),
    "event not an object": (b'{"type":"event_callback","event":"x"}', JSON),
    "no type": (b'{"event":{}}', JSON),
    "payload null": (b"payload=null", FORM),
    "payload list": (b"payload=%5B%5D", FORM),
    "payload not JSON": (b"payload=%7Bx", FORM),
    "block_actions without actions": (
        urllib.parse.urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}).encode(),
        FORM,
    ),
    "event.type 1": (_event(type=1), JSON),
    "event.user 1": (_event(user=1), JSON),
    "event.channel true": (_event(channel=True), JSON),
    "event.ts missing": (_event(ts=None), JSON),
    "team 5": (json.dumps({"type": "event_callback", "team": 5, "event": {"type": "x"}}).encode(), JSON),
    "nested 5,000 deep": (b'{"type":"event_callback","event":' + b'{"a":' * 5000 + b"1" + b"}" * 5001, JSON),
    "nested 100 deep": (b'{"type":"event_callback","event":{"type":"x","a":' + b"[" * 100 + b"]" * 102, JSON),
    "empty": (b"", JSON),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_signed_malformed_body_is_400_and_nothing_happens(rig: SlackRig, name: str) -> None:
    body, content_type = MALFORMED[name]
    response = rig.post(body, content_type)
    assert response.status_code == 400, response.text
    assert rig.fake.matching(api("chat.postMessage")) == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"type":"something_new","team_id":"T0TEST001"}',
        b'{"token":"x","type":"app_rate_limited","team_id":"T0TEST001","minute_rate_limited":1}',
        _event(type="something_new"),
        _event(type="user_change", user={"id": "U1", "team_id": "T0TEST001"}),
        urllib.parse.urlencode({"payload": json.dumps({"type": "shortcut", "callback_id": "x"})}).encode(),
        b"token=x&team_id=T0TEST001",
    ],
)
def test_well_formed_but_unhandled_is_200_and_nothing_happens(rig: SlackRig, body: bytes) -> None:
    content_type = FORM if not body.startswith(b"{") else JSON
    assert rig.post(body, content_type).status_code == 200
    assert rig.fake.matching(api("chat.postMessage")) == []


def test_after_malformed_bodies_a_good_event_is_answered(rig: SlackRig) -> None:
    for body, content_type in MALFORMED.values():
        rig.post(body, content_type)
    message = {**rig.load_fixture("message_im.json"), "text": "DMOとは？"}
    assert rig.event(message).status_code == 200
    [post] = rig.fake.wait_for(api("chat.postMessage"))
    assert post.body["channel"] == "D0DIRECT01"


@pytest.mark.parametrize("text", ["\ud800", "待機児童\ud800の目標は？", "DMOとは\ud83d"], ids=ascii)
def test_message_with_a_lone_surrogate_is_answered(rig: SlackRig, text: str) -> None:
    from bot.slack import texts as T

    message = {**rig.load_fixture("message_im.json"), "text": text}
    body = json.dumps(
        {**rig.load_fixture("event_callback.json"), "event": message, "event_id": f"Ev{id(text)}"}
    )
    assert rig.post(body.encode(), JSON).status_code == 200  # json.dumps keeps \ud800 as an escape
    [post] = rig.fake.wait_for(api("chat.postMessage"))
    assert post.body["channel"] == "D0DIRECT01"
    assert T.INTERNAL_ERROR not in json.dumps(post.body, ensure_ascii=False)
