"""Two ``strategy-bot serve`` processes on one PostgreSQL: staff confirming the same KPI on different
replicas are serialized and both audited, the later value is the current one; a confirm is refused on
a replica whose KPI definition changed since the preview (issue 12), wherever the preview was shown.

Real servers only: the replicas are child processes with their own curated SQLite files, requests are
signed as Slack signs them, and the replicas' replies go to the fake Slack API of the test.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import shutil
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from postgres import PostgresServer, postgres_server

from store import open_store

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "slack"
SECRET = "test-signing-secret"
STAFF = ["USTAFF001", "USTAFF002"]


def _bench():  # type: ignore[no-untyped-def]
    """benchmarks/crash_redelivery.py: its ``Server`` runs ``strategy-bot serve`` in a child process."""
    path = ROOT / "benchmarks" / "crash_redelivery.py"
    spec = importlib.util.spec_from_file_location("crash_redelivery", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _signature(body: bytes, ts: str) -> str:
    import hashlib
    import hmac

    return "v0=" + hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()


class Replica:
    def __init__(self, server: Any, fake: Any):
        self.server = server
        self.fake = fake
        self.http = httpx.Client(base_url=server.url, timeout=30.0)
        self._n = 0

    def post(self, body: bytes, content_type: str) -> httpx.Response:
        ts = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": _signature(body, ts),
        }
        return self.http.post("/slack/events", content=body, headers=headers)

    def _response_url(self) -> str:
        self._n += 1
        return f"{self.fake.url}/response/{self.server.port}-{self._n}"

    def command(self, text: str, user: str) -> str:
        fields = json.loads((FIXTURES / "slash_command.json").read_text(encoding="utf-8"))
        url = self._response_url()
        fields.update(command="/kpi", text=text, user_id=user, response_url=url, trigger_id=f"t.{url}")
        resp = self.post(urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")
        assert resp.status_code == 200
        return url

    def click(self, value: str, user: str) -> str:
        payload = copy.deepcopy(json.loads((FIXTURES / "block_actions.json").read_text(encoding="utf-8")))
        url = self._response_url()
        payload["user"]["id"] = user
        payload["response_url"] = url
        payload["actions"] = [{**payload["actions"][0], "action_id": "kpi_set_confirm", "value": value}]
        payload["container"]["is_ephemeral"] = True
        body = urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode()
        resp = self.post(body, "application/x-www-form-urlencoded")
        assert resp.status_code == 200
        return url

    def posted(self, url: str) -> dict[str, Any]:
        path = urllib.parse.urlsplit(url).path
        [call] = self.fake.wait_for(lambda c: c.path == path, 1, 60.0)
        return call.body


def _confirm_value(post: dict[str, Any]) -> str:
    for block in post.get("blocks", []):
        for element in block.get("elements", []):
            if element.get("action_id") == "kpi_set_confirm":
                return str(element["value"])
    raise AssertionError(f"no confirm button in {post}")


def _text(post: dict[str, Any]) -> str:
    return json.dumps(post, ensure_ascii=False)


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        if server is None:
            pytest.skip("PostgreSQL is not installed (make test installs it)")
        yield server


@pytest.fixture
def two_replicas(
    pg: PostgresServer, built_db_master: Path, tmp_path: Path, fake_slack: Any
) -> Iterator[tuple[list[Replica], str]]:
    bench = _bench()
    url = pg.create_database()
    replicas: list[Replica] = []
    try:
        for i in range(2):
            db_path = tmp_path / f"replica-{i}.db"
            shutil.copyfile(built_db_master, db_path)
            env = {
                **os.environ,
                "STRATEGY_BOT_ENV_FILE": "",
                "STRATEGY_BOT_DB": str(db_path),
                "DATABASE_URL": url,
                "USER_HASH_KEY": "test-hash-key",
                "SLACK_BOT_TOKEN": "xoxb-test-token",
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": f"{fake_slack.url}/api/",
                "SLACK_STAFF_USER_IDS": ",".join(STAFF),
                "SCHEDULER_ENABLED": "false",
            }
            for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SLACK_STAFF_USERGROUP"):
                env.pop(name, None)
            server = bench.Server(env=env, log=tmp_path / f"replica-{i}.log")
            replicas.append(Replica(server, fake_slack))
            server.start()
        yield replicas, url
    finally:
        for r in replicas:
            r.http.close()
            r.server.stop()


def test_two_staff_confirming_on_two_replicas_are_serialized_and_both_audited(
    two_replicas: tuple[list[Replica], str],
) -> None:
    (a, b), url = two_replicas
    # each staff member previews on one replica and confirms on the other, both at once
    values = {
        STAFF[0]: _confirm_value(a.posted(a.command("set tourism-spending 2022 700", STAFF[0]))),
        STAFF[1]: _confirm_value(b.posted(b.command("set tourism-spending 2022 720", STAFF[1]))),
    }
    barrier = threading.Barrier(2)
    urls: dict[str, tuple[Replica, str]] = {}

    def confirm(replica: Replica, user: str) -> None:
        barrier.wait(30)
        urls[user] = (replica, replica.click(values[user], user))

    threads = [threading.Thread(target=confirm, args=(r, u)) for r, u in ((b, STAFF[0]), (a, STAFF[1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for user, (replica, response_url) in urls.items():
        assert "記録しました" in _text(replica.posted(response_url)), user
    shared = open_store(url)
    try:
        with shared.backend.read() as tx:
            audit = tx.execute(
                "SELECT actor, old_value, new_value FROM kpi_audit"
                " WHERE kpi_id = 'tourism-spending' AND year = 2022 ORDER BY id"
            )
            final = tx.execute(
                "SELECT value, entered_by FROM kpi_actuals WHERE kpi_id = 'tourism-spending' AND year = 2022"
            )
    finally:
        shared.close()
    assert len(audit) == 2  # both audited
    assert {r["actor"] for r in audit} == {f"slack:{u}" for u in STAFF}
    first, second = audit
    assert first["old_value"] is None and second["old_value"] == first["new_value"]  # serialized
    assert final == [{"value": second["new_value"], "entered_by": second["actor"]}]  # the later is current
    # either replica answers with the later value
    for replica in (a, b):
        shown = replica.posted(replica.command("show tourism-spending", STAFF[0]))
        assert f"{second['new_value']:,.0f}" in _text(shown)


def test_a_confirm_is_refused_on_a_replica_whose_kpi_changed_since_the_preview(
    two_replicas: tuple[list[Replica], str], tmp_path: Path
) -> None:
    import sqlite3

    (a, b), url = two_replicas
    value = _confirm_value(a.posted(a.command("set births 2023 6,000", STAFF[0])))
    # replica b's curated data is rebuilt with another unit for the KPI (as a new release would)
    conn = sqlite3.connect(tmp_path / "replica-1.db")
    with conn:
        conn.execute("UPDATE kpis SET unit = '千人' WHERE id = 'births'")
    conn.close()
    refused = _text(b.posted(b.click(value, STAFF[0])))
    assert "記録していません" in refused and "定義" in refused
    shared = open_store(url)
    try:
        with shared.backend.read() as tx:
            assert tx.execute("SELECT value FROM kpi_actuals WHERE kpi_id = 'births'") == []
            assert tx.execute("SELECT id FROM kpi_audit WHERE kpi_id = 'births'") == []
    finally:
        shared.close()
