"""A replica started while its PostgreSQL is down comes up, answers the LINE webhook with 503 (so LINE
delivers again), the chat API and charts with 503 too, and reports the database on ``/healthz``; once
the database is back it accepts and answers without a restart. Real parts: the PostgreSQL server of
the test is stopped and started, the replica is ``strategy-bot serve`` in a child process, the
webhook post is signed as LINE signs it."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from postgres import postgres_server

from bot.line.signature import sign

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "crash_redelivery.py"


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("crash_redelivery", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _wait(predicate, timeout: float = 90.0, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_replica_started_while_the_database_is_down_answers_503_then_recovers(
    built_db_master: Path, tmp_path: Path
) -> None:
    bench = _bench()
    with postgres_server() as pg:
        if pg is None:
            pytest.skip("PostgreSQL is not installed (make test installs it)")
        url = pg.create_database()
        pg.stop()
        db_path = tmp_path / "strategy.db"
        shutil.copyfile(built_db_master, db_path)
        fake = bench.SingleUseLineApi()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "SLACK_"))}
        env.update(
            {
                "STRATEGY_BOT_ENV_FILE": "",
                "STRATEGY_BOT_DB": str(db_path),
                "DATABASE_URL": url,
                "LINE_CHANNEL_SECRET": bench.SECRET,
                "LINE_CHANNEL_ACCESS_TOKEN": bench.TOKEN,
                "LINE_API_BASE_URL": fake.url,
                "USER_HASH_KEY": "test-hash-key",
            }
        )
        server = bench.Server(env, tmp_path / "server.log")
        try:
            server.start(healthy=False)
            with httpx.Client(base_url=server.url, timeout=30) as http:
                health = http.get("/healthz")
                assert health.status_code == 503
                assert health.json()["store"] == "unavailable" and health.json()["database"] == "ready"
                event = bench.make_event(1, uuid.uuid4().hex[:6].upper())
                body = json.dumps({"destination": "Ubot", "events": [event]}).encode()
                headers = {"X-Line-Signature": sign(body, bench.SECRET), "Content-Type": "application/json"}
                assert http.post("/line/webhook", content=body, headers=headers).status_code == 503
                # the chat page's API and the charts (conversations and staff actuals are the store's)
                asked = http.post("/api/ask", json={"text": "出生数は？", "session": "session-1234"})
                assert asked.status_code == 503 and asked.json()["error"] == "unavailable"
                assert "しばらくしてから" in asked.json()["message"]
                assert http.get("/charts/kpi/births.png").status_code == 503

                pg.restart()
                _wait(lambda: http.get("/healthz").status_code == 200, what="/healthz 200")
                assert http.get("/healthz").json()["store"] == "ready"
                assert http.post("/line/webhook", content=body, headers=headers).status_code == 200
                _wait(lambda: fake.accepted[event["replyToken"]] == 1, what="the reply")
                asked = http.post("/api/ask", json={"text": "出生数は？", "session": "session-1234"})
                assert asked.status_code == 200 and asked.json()["answered"]
        finally:
            server.stop()
            fake.close()
