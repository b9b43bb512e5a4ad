"""Slack test rig: a fake Slack Web API on 127.0.0.1 that records every call (``SLACK_API_URL``, and the
``response_url`` of commands and buttons), the real server under uvicorn in a thread, and requests
signed the way Slack signs them (``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}``).

Nothing of ours is faked: the real ``create_app`` serves ``POST /slack/events`` with the real Bolt
app, answering through the real ``Answerer`` over a database built from the curated data.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import shutil
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils
import support
from support import ServerThread

from bot.config import Settings
from bot.web.app import create_app
from strategy_data.database import connect

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
BOT_USER = "UBOT0001"
STAFF_1 = "USTAFF001"
STAFF_2 = "USTAFF002"
GROUP_MEMBER = "UGROUP001"
OUTSIDER = "UOUTSIDE1"
TEAM = "T0TEST001"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slack"


@pytest.fixture
def staff_db(built_db_path: Path) -> Iterator[sqlite_utils.Database]:
    """A connection to this test's private copy of the built database."""
    db = connect(built_db_path)
    yield db
    db.close()


def load_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- the fake Slack Web API ----------------------------------------------------------------------


class Call(support.Recorded):
    """``method`` is the HTTP verb; ``path`` "/api/chat.postMessage" or "/response/7"; ``body`` the JSON,
    form fields or query parameters, decoded."""

    body: dict[str, Any]

    @property
    def api(self) -> str:
        return self.path.removeprefix("/api/")


class FakeSlackApi(support.FakeApi):
    """Answers the Web API methods the app uses, and ``/response/<n>`` for response_url posts."""

    record_type = Call

    def __init__(self) -> None:
        self.group_members: list[str] = [GROUP_MEMBER]
        self.socket_url: str | None = None  # what apps.connections.open hands out (Socket Mode tests)
        self.delays: dict[str, float] = {}  # API method or "response" → seconds before answering
        self.holds: dict[str, threading.Event] = {}  # API method or "response" → answered once set
        self._waiting: dict[str, int] = {}  # API method → calls held now
        self._ts = itertools.count(1)
        super().__init__()

    @property
    def calls(self) -> list[Call]:
        return self.requests  # each one a Call (record_type)

    def decode(self, method: str, query: str, content_type: str, raw: bytes) -> dict[str, Any]:
        body: dict[str, Any] = dict(urllib.parse.parse_qsl(query))
        if raw:
            if raw.lstrip().startswith(b"{"):
                body.update(json.loads(raw))
            else:
                body.update(urllib.parse.parse_qsl(raw.decode("utf-8")))
        return body

    def respond(self, rec: support.Recorded) -> tuple[int, Any, dict[str, str]]:
        delay = self.delays.get("response" if rec.path.startswith("/response/") else rec.path[5:], 0.0)
        if delay:
            time.sleep(delay)
        method = "response" if rec.path.startswith("/response/") else rec.path.removeprefix("/api/")
        with self.lock:
            held = self.holds.get(method)
            if held is not None:
                self._waiting[method] = self._waiting.get(method, 0) + 1
                self.lock.notify_all()
        if held is not None:
            try:
                assert held.wait(60), f"{rec.path} was held for good"
            finally:
                with self.lock:
                    self._waiting[method] -= 1
        status, payload = self._answer(rec.path, rec.body)
        return status, payload, {}

    def _answer(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any] | str]:
        if path.startswith("/response/"):
            return 200, "ok"
        method = path.removeprefix("/api/")
        if method == "auth.test":
            return 200, {
                "ok": True,
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "BBOT0001",
                "user": "bot",
            }
        if method == "chat.postMessage":
            return 200, {"ok": True, "channel": body.get("channel"), "ts": f"1700000000.{next(self._ts):06d}"}
        if method == "chat.postEphemeral":
            return 200, {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "usergroups.list":
            return 200, {
                "ok": True,
                "usergroups": [{"id": "S0STAFF01", "handle": "strategy-staff", "name": "戦略"}],
            }
        if method == "usergroups.users.list":
            if body.get("usergroup") != "S0STAFF01":
                return 200, {"ok": False, "error": "no_such_subteam"}
            return 200, {"ok": True, "users": list(self.group_members)}
        if method == "apps.connections.open" and self.socket_url:
            return 200, {"ok": True, "url": self.socket_url}
        if method == "views.open":
            return 200, {"ok": True, "view": {"id": "V0000001"}}
        return 200, {"ok": False, "error": "unknown_method"}

    def hold(self, method: str) -> threading.Event:
        """Keep calls of ``method`` waiting (received, not answered) until the returned event is set."""
        release = threading.Event()
        with self.lock:
            self.holds[method] = release
        return release

    def wait_held(self, method: str, count: int = 1, timeout: float = 60.0) -> None:
        """Block until ``count`` calls of a held ``method`` have arrived and are waiting."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while self._waiting.get(method, 0) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"expected {count} held {method} call(s); {self._waiting.get(method, 0)}"
                self.lock.wait(left)

    def reset(self) -> None:
        with self.lock:  # held calls go first: the reset waits for the requests in hand
            for release in self.holds.values():
                release.set()
        super().reset()
        with self.lock:
            self.group_members = [GROUP_MEMBER]
            self.delays = {}
            self.holds = {}

    def wait_for(
        self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 60.0
    ) -> list[Call]:
        """Block until ``count`` recorded calls satisfy ``predicate``; return them."""
        return self.wait_until(
            predicate,
            count,
            timeout,
            lambda: (
                f"expected {count} matching call(s) within {timeout}s; got {[c.path for c in self.calls]}"
            ),
        )


def api(method: str) -> Callable[[Call], bool]:
    return lambda c: c.api == method


def response_url_posts(c: Call) -> bool:
    return c.path.startswith("/response/")


# --- the real server -----------------------------------------------------------------------------


def slack_signature(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


_REQUEST_IDS = itertools.count(1)


class SlackRig:
    """Posts signed requests to ``/slack/events`` the way Slack does, and reads what came out.

    Test modules reach the rig's helpers and constants through the ``rig`` fixture (conftest
    modules are not importable under pytest's importlib mode)."""

    STAFF_1 = STAFF_1
    STAFF_2 = STAFF_2
    OUTSIDER = OUTSIDER
    GROUP_MEMBER = GROUP_MEMBER
    api = staticmethod(api)
    load_fixture = staticmethod(load_fixture)
    signature = staticmethod(slack_signature)
    Failure = support.Failure

    def __init__(self, url: str, fake: FakeSlackApi, db_path: Path):
        self.url = url
        self.fake = fake
        self.db_path = db_path
        self.http = httpx.Client(base_url=url, timeout=10.0)
        self._ids = _REQUEST_IDS  # never the same body twice in a session: a repeat is a replay

    def db(self) -> sqlite_utils.Database:
        return connect(self.db_path)

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature if signature is not None else slack_signature(body, ts),
            **(headers or {}),
        }
        return self.http.post("/slack/events", content=body, headers=sent)

    def event(self, event: dict[str, Any], *, event_id: str | None = None, **kwargs: Any) -> httpx.Response:
        envelope = load_fixture("event_callback.json")
        envelope["event"] = event
        envelope["event_id"] = event_id or f"Ev{uuid.uuid4().hex[:12].upper()}"
        body = json.dumps(envelope, ensure_ascii=False).encode()
        return self.post(body, "application/json", **kwargs)

    def response_url(self) -> str:
        return f"{self.fake.url}/response/{next(self._ids)}"

    def command(
        self, command: str, text: str, *, user: str = STAFF_1, **kwargs: Any
    ) -> tuple[httpx.Response, str]:
        """A slash command; returns the HTTP response and the command's response_url."""
        fields = load_fixture("slash_command.json")
        response_url = self.response_url()
        fields.update(command=command, text=text, user_id=user, response_url=response_url)
        fields["trigger_id"] = f"trigger.{next(self._ids)}"
        body = urllib.parse.urlencode(fields).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs), response_url

    def interactive(self, payload: dict[str, Any], **kwargs: Any) -> httpx.Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def click(
        self, action: dict[str, Any], *, user: str = STAFF_1, ephemeral: bool = True
    ) -> tuple[httpx.Response, str]:
        payload = copy.deepcopy(load_fixture("block_actions.json"))
        response_url = self.response_url()
        payload["user"]["id"] = user
        payload["response_url"] = response_url
        payload["actions"] = [{**payload["actions"][0], **action}]
        payload["container"]["is_ephemeral"] = ephemeral
        return self.interactive(payload), response_url

    def work_pending(self) -> int:
        """What the server reports on ``GET /healthz``: acknowledged requests whose work is not done."""
        return int(self.http.get("/healthz").json()["slack_work_pending"])

    def settled(self, timeout: float = 60.0) -> None:
        """Wait until the server has done all the work of every request it acknowledged and the fake
        has recorded every call it got, so that a test can check that something did NOT happen
        without sleeping. (A request's work is handed over before its acknowledgement is sent.)"""
        deadline = time.monotonic() + timeout
        while self.work_pending():
            assert time.monotonic() < deadline, "the server did not finish its Slack work"
            time.sleep(0.02)
        self.fake.wait_idle(max(deadline - time.monotonic(), 1.0))

    def posts_to(self, response_url: str, count: int = 1, timeout: float = 60.0) -> list[Call]:
        path = urllib.parse.urlsplit(response_url).path
        return self.fake.wait_for(lambda c: c.path == path, count, timeout)


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def rig_db_path(built_db_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("slack-db") / "strategy.db"
    shutil.copyfile(built_db_master, path)
    return path


def slack_settings(db_path: Path, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        db_path=db_path,
        user_hash_key="test-hash-key",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=f"{api_url}/api/",
        slack_staff_user_ids=[STAFF_1, STAFF_2],
        slack_staff_usergroup="strategy-staff",
        scheduler_enabled=False,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="module")
def slack_server(fake_slack: FakeSlackApi, rig_db_path: Path) -> Iterator[str]:
    app = create_app(slack_settings(rig_db_path, fake_slack.url))
    with ServerThread(app) as server:
        yield server.url


@pytest.fixture
def rig(slack_server: str, fake_slack: FakeSlackApi, rig_db_path: Path) -> Iterator[SlackRig]:
    """The module's server and fake Slack; the fake's record is cleared for each test. The database
    is shared by the module's tests: each test uses its own KPIs, years and users."""
    fake_slack.reset()  # releases what an earlier test held
    r = SlackRig(slack_server, fake_slack, rig_db_path)
    r.settled()  # an earlier test's work (e.g. one that failed) does not spill into this one
    fake_slack.reset()
    yield r
    r.http.close()
    fake_slack.reset()
