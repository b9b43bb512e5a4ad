"""Reminder test rig: fake Slack Web API and LINE Messaging API servers on 127.0.0.1, a clock the tests
move by hand, and helpers to build a scheduler over a copy of the real database.

The fakes behave like the platforms where it matters here: LINE remembers accepted
``X-Line-Retry-Key`` values and answers a repeat with 409; Slack keeps posted messages with their
metadata and returns them from ``conversations.history``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import Failure, FakeApi, Recorded, ServerThread  # noqa: F401  (some re-exported to tests)

from bot.config import Settings
from bot.reminders.scheduler import Scheduler
from strategy_data.clock import JST
from strategy_data.database import connect

STAFF_CHANNEL = "C0STAFF"
LINE_SECRET = "test-line-secret"
LINE_TOKEN = "test-line-token"
SLACK_TOKEN = "xoxb-test-token"
HASH_KEY = "test-user-hash-key"


class _FakeServer(FakeApi):
    """A fake platform API that answers each request through ``respond``; failures may accept or
    drop a request (see ``Failure``)."""

    def calls(self, path: str) -> list[Recorded]:
        return self.matching(lambda r: r.path == path)

    def wait_for(self, path: str, count: int, timeout: float = 60.0) -> list[Recorded]:
        self.wait_until(
            lambda r: r.path == path, count, timeout, lambda: f"{path}: fewer than {count} requests arrived"
        )
        return self.calls(path)


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
