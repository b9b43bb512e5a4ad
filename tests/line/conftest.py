"""LINE test rig: a fake Messaging API on 127.0.0.1 that records what it receives, the real server
under uvicorn in a thread, and signed webhook posts.

Nothing of ours is faked: the real app (``create_app``) answers through the real ``Answerer`` over a
database built from the curated data, and the real SDK client talks HTTP to the fake API.
"""

from __future__ import annotations

import itertools
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from support import ServerThread

from bot.config import Settings
from bot.line_webhook import sign
from bot.server import create_app

CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "line"
PEER_FILE = Path("/work/shared/peers/line-sdk-v3-webhook.json")
USER_ID = "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"
BOT_ID = "Ubot00000000000000000000000000000"


# --- the fake LINE Messaging API -----------------------------------------------------------------


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []


@dataclass
class Failure:
    status: int
    body: dict[str, Any] = field(default_factory=lambda: {"message": "fake failure"})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeLineApi:
    """Records every request; answers 200 ``{}`` unless failures were queued for a path."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._failures: dict[str, list[Failure]] = {}
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                path = self.path.split("?")[0]
                # recorded before answering, so a client that got its answer finds its request recorded
                fake._record(Recorded("POST", path, {k.lower(): v for k, v in self.headers.items()}, body))
                failure = fake._next_failure(path)
                if failure is not None:
                    if failure.delay:
                        time.sleep(failure.delay)
                    status, payload, extra = failure.status, failure.body, failure.headers
                else:
                    status, payload, extra = 200, fake._ok_body(body), {}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-line-request-id", f"req-{next(fake._ids)}")
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _ok_body(self, body: Any) -> dict[str, Any]:
        """What LINE answers to a reply or push: one sent-message id per message."""
        messages = body.get("messages", []) if isinstance(body, dict) else []
        return {"sentMessages": [{"id": str(next(self._ids)), "quoteToken": "qt"} for _ in messages]}

    def _record(self, rec: Recorded) -> None:
        with self._cond:
            self.requests.append(rec)
            self._cond.notify_all()

    def _next_failure(self, path: str) -> Failure | None:
        with self._cond:
            queue = self._failures.get(path)
            return queue.pop(0) if queue else None

    def fail(self, path: str, *failures: Failure) -> None:
        with self._cond:
            self._failures.setdefault(path, []).extend(failures)

    def reset(self) -> None:
        with self._cond:
            self.requests.clear()
            self._failures.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Recorded]:
        """Block until at least ``count`` requests arrived; return them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"fake LINE API got {len(self.requests)} requests, expected {count}")
                self._cond.wait(left)
            return list(self.requests)

    def replies(self) -> list[Recorded]:
        with self._cond:
            return [r for r in self.requests if r.path == "/v2/bot/message/reply"]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def fake_line() -> Iterator[FakeLineApi]:
    fake = FakeLineApi()
    yield fake
    fake.close()


@pytest.fixture
def line_api(fake_line: FakeLineApi) -> Iterator[FakeLineApi]:
    fake_line.reset()
    yield fake_line
    fake_line.reset()


# --- the real server -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def line_db_path(built_db_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("line-db") / "strategy.db"
    shutil.copyfile(built_db_master, path)
    return path


def line_settings(db_path: Path, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "db_path": db_path,
        "line_channel_secret": CHANNEL_SECRET,
        "line_channel_access_token": ACCESS_TOKEN,
        "line_api_base_url": api_url,
        "user_hash_key": "test-user-hash-key",
        "scheduler_enabled": False,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture(scope="module")
def line_server(line_db_path: Path, fake_line: FakeLineApi) -> Iterator[ServerThread]:
    app = create_app(line_settings(line_db_path, fake_line.url))
    with ServerThread(app) as server:
        yield server


@pytest.fixture(scope="module")
def http(line_server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=line_server.url, timeout=10) as client:
        yield client


# --- webhook bodies ------------------------------------------------------------------------------

_event_ids = itertools.count(1)


def new_event_id() -> str:
    return f"01TEST{next(_event_ids):020d}"


@pytest.fixture
def event() -> Callable[..., dict[str, Any]]:
    """Build one webhook event in LINE's documented format (distinct webhookEventId, reply token)."""

    def make(etype: str = "message", *, source: dict[str, Any] | None = None, **fields: Any) -> dict:
        eid = new_event_id()
        ev: dict[str, Any] = {
            "type": etype,
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": source or {"type": "user", "userId": USER_ID},
            "webhookEventId": eid,
            "deliveryContext": {"isRedelivery": False},
        }
        if etype not in ("unfollow", "leave", "memberLeft", "unsend"):
            ev["replyToken"] = f"rt-{eid}"
        ev.update(fields)
        return ev

    return make


@pytest.fixture
def text_event(event: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def make(text: str, *, source: dict[str, Any] | None = None, mention: Any = None) -> dict[str, Any]:
        message: dict[str, Any] = {"id": "4680", "type": "text", "text": text, "quoteToken": "q"}
        if mention is not None:
            message["mention"] = mention
        return event("message", source=source, message=message)

    return make


def body_of(*events: dict[str, Any], destination: str = BOT_ID) -> bytes:
    return json.dumps({"destination": destination, "events": list(events)}, ensure_ascii=False).encode()


@pytest.fixture
def post(http: httpx.Client) -> Callable[..., httpx.Response]:
    """POST a body to /line/webhook, signed as LINE signs it (or with the signature given)."""

    def send(body: bytes, signature: str | None = "auto") -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if signature == "auto":
            headers["X-Line-Signature"] = sign(body, CHANNEL_SECRET)
        elif signature is not None:
            headers["X-Line-Signature"] = signature
        return http.post("/line/webhook", content=body, headers=headers)

    return send


def load_fixture(name: str, *, fresh_ids: bool = True) -> dict[str, Any]:
    """A recorded payload from tests/fixtures/line; by default with new event ids and reply tokens, so
    that the shared server's dedupe never mistakes one test's delivery for another's."""
    payload = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    if fresh_ids:
        for ev in payload["events"]:
            ev["webhookEventId"] = new_event_id()
            if "replyToken" in ev:
                ev["replyToken"] = f"rt-{ev['webhookEventId']}"
    return payload


@pytest.fixture
def rig() -> SimpleNamespace:
    """Constants and helpers for the test modules (conftest modules cannot be imported directly)."""
    return SimpleNamespace(
        CHANNEL_SECRET=CHANNEL_SECRET,
        ACCESS_TOKEN=ACCESS_TOKEN,
        USER_ID=USER_ID,
        BOT_ID=BOT_ID,
        PEER_FILE=PEER_FILE,
        FIXTURES=FIXTURES,
        Failure=Failure,
        FakeLineApi=FakeLineApi,
        ServerThread=ServerThread,
        body_of=body_of,
        load_fixture=load_fixture,
        new_event_id=new_event_id,
        settings=line_settings,
    )
