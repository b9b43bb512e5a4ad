"""LINE test rig: a fake Messaging API on 127.0.0.1 that records what it receives, the real server
under uvicorn in a thread, and signed webhook posts.

Nothing of ours is faked: the real app (``create_app``) answers through the real ``Answerer`` over a
database built from the curated data, and the real SDK client talks HTTP to the fake API.
"""

from __future__ import annotations

import itertools
import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import support
from support import ServerThread

from bot.config import Settings
from bot.line.webhook import sign
from bot.web.app import create_app

CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "line"
PEER_FILE = Path("/work/shared/peers/line-sdk-v3-webhook.json")
USER_ID = "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"
BOT_ID = "Ubot00000000000000000000000000000"


# --- the fake LINE Messaging API -----------------------------------------------------------------


class Recorded(support.Recorded):
    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []


@dataclass
class Failure(support.Failure):
    body: Any = field(default_factory=lambda: {"message": "fake failure"})


class FakeLineApi(support.FakeApi):
    """Records every request; answers 200 with one sent-message id per message unless failures were
    queued for a path."""

    verbs = ("POST",)
    record_on_arrival = True
    record_type = Recorded

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        super().__init__()

    def decode(self, method: str, query: str, content_type: str, raw: bytes) -> Any:
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return raw.decode("utf-8", "replace")

    def respond(self, rec: support.Recorded) -> tuple[int, Any, dict[str, str]]:
        """What LINE answers to a reply or push: one sent-message id per message."""
        messages = rec.body.get("messages", []) if isinstance(rec.body, dict) else []
        return 200, {"sentMessages": [{"id": str(next(self._ids)), "quoteToken": "qt"} for _ in messages]}, {}

    def response_headers(self) -> dict[str, str]:
        return {"x-line-request-id": f"req-{next(self._ids)}"}

    def wait_for(self, count: int, timeout: float = 60.0) -> list[Recorded]:
        """Block until at least ``count`` requests arrived; return them all."""
        return self.wait_until(
            lambda r: True,
            count,
            timeout,
            lambda: f"fake LINE API got {len(self.requests)} requests, expected {count}",
        )

    def replies(self) -> list[Recorded]:
        return self.matching(lambda r: r.path == "/v2/bot/message/reply")


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
