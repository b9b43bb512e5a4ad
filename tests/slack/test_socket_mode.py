"""``strategy-bot slack`` (Socket Mode): the real SocketModeHandler connects to a small WebSocket server
on 127.0.0.1 that plays Slack's part (``apps.connections.open`` on the fake Web API returns its URL),
receives an event and a slash command over the socket, acknowledges each envelope, and answers
through the fake Web API / response_url."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.slack.socket_mode import socket_handler

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketModeServer:
    """Just enough of RFC 6455 for one client: handshake, text frames, ping/pong, close."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=test"
        self.received: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._conn: socket.socket | None = None
        self._send_lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self._listener.accept()
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = next(
            line.split(b":", 1)[1].strip()
            for line in request.split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key")
        )
        accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest())
        conn.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        with self._cond:
            self._conn = conn
            self._cond.notify_all()
        self.send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0STRATEGY1"}})
        try:
            while True:
                opcode, payload = self._read_frame(conn)
                if opcode == 0x8:  # close
                    self._write_frame(0x8, payload[:2])
                    return
                if opcode == 0x9:  # ping
                    self._write_frame(0xA, payload)
                elif opcode == 0x1:
                    with self._cond:
                        self.received.append(json.loads(payload))
                        self._cond.notify_all()
        except (OSError, ConnectionError):
            return

    @staticmethod
    def _read_exact(conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def _read_frame(self, conn: socket.socket) -> tuple[int, bytes]:
        b1, b2 = self._read_exact(conn, 2)
        length = b2 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read_exact(conn, 2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read_exact(conn, 8))
        mask = self._read_exact(conn, 4) if b2 & 0x80 else b"\0\0\0\0"
        data = self._read_exact(conn, length)
        return b1 & 0x0F, bytes(c ^ mask[i % 4] for i, c in enumerate(data))

    def _write_frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([n])
        elif n < 65536:
            header += bytes([126]) + struct.pack("!H", n)
        else:
            header += bytes([127]) + struct.pack("!Q", n)
        with self._send_lock:
            assert self._conn is not None
            self._conn.sendall(header + payload)

    def send(self, message: dict[str, Any]) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._conn is not None, timeout=10)
        self._write_frame(0x1, json.dumps(message, ensure_ascii=False).encode())

    def wait_for_ack(self, envelope_id: str, timeout: float = 60.0) -> dict[str, Any]:
        with self._cond:
            ok = self._cond.wait_for(
                lambda: any(m.get("envelope_id") == envelope_id for m in self.received), timeout=timeout
            )
            assert ok, f"no ack for {envelope_id}: {self.received}"
            return next(m for m in self.received if m.get("envelope_id") == envelope_id)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._listener.close()


@pytest.fixture
def socket_bot(rig_db_path: Path, fake_slack: Any) -> Iterator[FakeSocketModeServer]:
    server = FakeSocketModeServer()
    fake_slack.socket_url = server.url
    fake_slack.reset()
    settings = Settings(
        db_path=rig_db_path,
        user_hash_key="test-hash-key",
        slack_bot_token="xoxb-test-token",
        slack_app_token="xapp-test-token",
        slack_api_url=f"{fake_slack.url}/api/",
        slack_staff_user_ids=["USTAFF001"],
        scheduler_enabled=False,
    )
    handler = socket_handler(settings)
    handler.client.ping_interval = 1
    handler.connect()
    try:
        yield server
    finally:
        handler.close()
        server.close()
        fake_slack.socket_url = None


def test_event_and_command_over_the_socket(socket_bot: FakeSocketModeServer, fake_slack: Any):
    [opened] = fake_slack.wait_for(lambda c: c.api == "apps.connections.open")
    assert opened.headers["authorization"] == "Bearer xapp-test-token"

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "slack"
    envelope = json.loads((fixtures / "event_callback.json").read_text(encoding="utf-8"))
    envelope["event"] = json.loads((fixtures / "message_im.json").read_text(encoding="utf-8"))
    envelope["event_id"] = f"EvSOCKET{int(time.time() * 1000)}"
    socket_bot.send(
        {
            "envelope_id": "env-1",
            "type": "events_api",
            "accepts_response_payload": False,
            "payload": envelope,
            "retry_attempt": 0,
            "retry_reason": "",
        }
    )
    socket_bot.wait_for_ack("env-1")
    [post] = fake_slack.wait_for(lambda c: c.api == "chat.postMessage")
    assert post.body["channel"] == "D0DIRECT01"
    assert post.headers["authorization"] == "Bearer xoxb-test-token"

    command = json.loads((fixtures / "slash_command.json").read_text(encoding="utf-8"))
    command.update(
        command="/kpi", text="list 3", user_id="UOUTSIDE1", response_url=f"{fake_slack.url}/response/sock"
    )
    socket_bot.send(
        {
            "envelope_id": "env-2",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": command,
        }
    )
    socket_bot.wait_for_ack("env-2")
    [refusal] = fake_slack.wait_for(lambda c: urllib.parse.urlsplit(c.path).path == "/response/sock")
    assert "担当職員だけ" in refusal.body["text"]


def test_malformed_payloads_over_the_socket_are_acknowledged_and_dropped(
    socket_bot: FakeSocketModeServer, fake_slack: Any
):
    """The HTTP endpoint's check applies over the socket too: Bolt never sees what it cannot read.
    (A payload that is not an object never gets this far: slack_sdk refuses it while reading.)"""
    fake_slack.wait_for(lambda c: c.api == "apps.connections.open")
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "slack"
    good = json.loads((fixtures / "event_callback.json").read_text(encoding="utf-8"))
    good["event"] = json.loads((fixtures / "message_im.json").read_text(encoding="utf-8"))
    bad_user = {**good, "event": {**good["event"], "user": 1}, "event_id": "EvSOCKETBAD1"}
    malformed = [
        ("events_api", {"type": "event_callback", "event": None}),
        ("events_api", bad_user),
        ("interactive", {"type": "block_actions", "actions": "x"}),
        ("slash_commands", {"command": 1}),
        ("something_new", {"type": "x"}),
    ]
    for i, (kind, payload) in enumerate(malformed):
        socket_bot.send({"envelope_id": f"bad-{i}", "type": kind, "payload": payload})
        socket_bot.wait_for_ack(f"bad-{i}")
    good["event_id"] = f"EvSOCKET{int(time.time() * 1000)}"
    socket_bot.send({"envelope_id": "good", "type": "events_api", "payload": good})
    socket_bot.wait_for_ack("good")
    [post] = fake_slack.wait_for(lambda c: c.api == "chat.postMessage")
    assert post.body["channel"] == "D0DIRECT01"  # only the good event was answered
