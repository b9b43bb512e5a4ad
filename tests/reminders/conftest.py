"""Reminder test rig: fake Slack Web API and LINE Messaging API servers on 127.0.0.1, a clock the tests
move by hand, and helpers to build a scheduler over a copy of the real database.

The fakes behave like the platforms where it matters here: LINE remembers accepted
``X-Line-Retry-Key`` values and answers a repeat with 409; Slack keeps posted messages with their
metadata and returns them from ``conversations.history``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from support import ServerThread  # noqa: F401  (re-exported to the tests)

from bot.config import Settings
from bot.reminders.scheduler import Scheduler
from strategy_data.clock import JST
from strategy_data.database import connect

STAFF_CHANNEL = "C0STAFF"
LINE_SECRET = "test-line-secret"
LINE_TOKEN = "test-line-token"
SLACK_TOKEN = "xoxb-test-token"
HASH_KEY = "test-user-hash-key"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    accept: bool = False  # process the request, then answer with the failure (a lost answer)
    drop: bool = False  # process the request, then close the connection without answering


class _FakeServer:
    """A keep-alive HTTP/1.1 server in a thread that records every request."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._failures: dict[str, list[Failure]] = {}
        self.lock = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                body: Any
                if method == "GET":
                    body = {k: v[0] for k, v in parse_qs(parts.query).items()}
                elif "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or b"null")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                rec = Recorded(method, parts.path, headers, body)
                failure = fake._next_failure(parts.path)
                if failure is None or failure.accept or failure.drop:
                    status, payload, extra = fake.respond(rec)
                if failure is not None and failure.drop:
                    fake._record(rec)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if failure is not None:
                    status, payload, extra = failure.status, failure.body, failure.headers
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
                fake._record(rec)

            def do_POST(self) -> None:
                self._handle("POST")

            def do_GET(self) -> None:
                self._handle("GET")

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def respond(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        raise NotImplementedError

    def _record(self, rec: Recorded) -> None:
        with self.lock:
            self.requests.append(rec)
            self.lock.notify_all()

    def _next_failure(self, path: str) -> Failure | None:
        with self.lock:
            queue = self._failures.get(path)
            return queue.pop(0) if queue else None

    def fail(self, path: str, *failures: Failure) -> None:
        with self.lock:
            self._failures.setdefault(path, []).extend(failures)

    def calls(self, path: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def wait_for(self, path: str, count: int, timeout: float = 10.0) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        with self.lock:
            while len([r for r in self.requests if r.path == path]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{path}: fewer than {count} requests arrived")
                self.lock.wait(left)
        return self.calls(path)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self._failures.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


PUSH = "/v2/bot/message/push"
REPLY = "/v2/bot/message/reply"


class FakeLine(_FakeServer):
    def __init__(self) -> None:
        self.accepted: dict[str, str] = {}  # retry key -> request id
        self.delivered: list[Recorded] = []  # pushes LINE actually delivered (at most one per key)
        self._ids = itertools.count(1)
        super().__init__()

    def respond(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        request_id = f"req-{next(self._ids)}"
        if rec.path == PUSH:
            key = rec.headers.get("x-line-retry-key")
            with self.lock:
                if key and key in self.accepted:
                    return (
                        409,
                        {"message": "The retry key is already accepted"},
                        {"x-line-accepted-request-id": self.accepted[key], "x-line-request-id": request_id},
                    )
                if key:
                    self.accepted[key] = request_id
                self.delivered.append(rec)
        messages = rec.body.get("messages", []) if isinstance(rec.body, dict) else []
        return (
            200,
            {"sentMessages": [{"id": str(next(self._ids))} for _ in messages]},
            {"x-line-request-id": request_id},
        )

    def pushes_to(self, user_id: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.delivered if r.body.get("to") == user_id]

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.accepted.clear()
            self.delivered.clear()


POST_MESSAGE = "/api/chat.postMessage"
HISTORY = "/api/conversations.history"


class FakeSlack(_FakeServer):
    def __init__(self) -> None:
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self._ts = itertools.count(1)
        self.ts_clock: Any = time.time  # what Slack's clock says when it stamps a message (epoch s)
        super().__init__()

    def respond(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        if rec.path == POST_MESSAGE:
            channel = rec.body.get("channel")
            ts = f"{self.ts_clock():.0f}.{next(self._ts):06d}"
            msg = {"ts": ts, "text": rec.body.get("text"), "blocks": rec.body.get("blocks")}
            if rec.body.get("metadata"):
                msg["metadata"] = rec.body["metadata"]
            with self.lock:
                self.messages.setdefault(channel, []).append(msg)
            return 200, {"ok": True, "channel": channel, "ts": ts, "message": msg}, {}
        if rec.path == "/api/auth.test":
            return (
                200,
                {"ok": True, "team_id": "T0TEST", "user_id": "UBOT", "bot_id": "BBOT", "user": "bot"},
                {},
            )
        if rec.path.startswith("/response/"):
            return 200, {"ok": True}, {}
        if rec.path == HISTORY:
            with self.lock:
                msgs = list(reversed(self.messages.get(rec.body.get("channel"), [])))
            oldest = float(rec.body.get("oldest") or 0)
            msgs = [m for m in msgs if float(m["ts"]) > oldest]
            return 200, {"ok": True, "messages": msgs, "has_more": False}, {}
        return 200, {"ok": True}, {}

    def posts(self, channel: str = STAFF_CHANNEL) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.messages.get(channel, []))

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.messages.clear()
            self.ts_clock = time.time


@pytest.fixture(scope="session")
def fake_line_server() -> Iterator[FakeLine]:
    fake = FakeLine()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def fake_slack_server() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def line(fake_line_server: FakeLine) -> Iterator[FakeLine]:
    fake_line_server.reset()
    yield fake_line_server
    fake_line_server.reset()


@pytest.fixture
def slack(fake_slack_server: FakeSlack) -> Iterator[FakeSlack]:
    fake_slack_server.reset()
    yield fake_slack_server
    fake_slack_server.reset()


class Clock:
    """The time the scheduler sees; tests set and advance it."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, now: dt.datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST)


def make_settings(
    db_path: Path, line: FakeLine | None, slack: FakeSlack | None, **overrides: Any
) -> Settings:
    values: dict[str, Any] = {"db_path": db_path, "user_hash_key": HASH_KEY, "scheduler_enabled": False}
    if line is not None:
        values.update(
            line_channel_secret=LINE_SECRET, line_channel_access_token=LINE_TOKEN, line_api_base_url=line.url
        )
    if slack is not None:
        values.update(
            slack_bot_token=SLACK_TOKEN,
            slack_api_url=f"{slack.url}/api/",
            slack_reminder_channel=STAFF_CHANNEL,
        )
    values.update(overrides)
    return Settings.model_validate(values)


def fast_sleep(seconds: float) -> None:
    """Back-offs in tests: keep their order and spacing, at a hundredth of the length."""
    time.sleep(min(seconds, 5.0) / 100)


def make_scheduler(settings: Settings, clock: Clock, **kwargs: Any) -> Scheduler:
    """A scheduler with its own connection (as each process or thread has), fast back-offs."""
    db = connect(settings.db_path)
    kwargs.setdefault("sleep", fast_sleep)
    kwargs.setdefault("backoff", 0.5)
    kwargs.setdefault("slack_interval", 0.02)
    return Scheduler(db, settings, clock=clock, **kwargs)


def close_scheduler(s: Scheduler) -> None:
    s.close()
    s.db.close()
