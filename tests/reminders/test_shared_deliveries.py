"""Two replicas (each its own SQLite file for the meetings) whose schedulers claim deliveries in one
PostgreSQL database (``DATABASE_URL``) send each reminder once."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import PostgresServer, postgres_server

from store import open_store

from .conftest import PUSH, Clock, FakeLine, FakeSlack, close_scheduler, make_scheduler, make_settings
from .test_scheduler import T_1D, T_2H, T_7D, setup_db


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        if server is None:
            pytest.skip("PostgreSQL is not installed (CI installs it)")
        yield server


def test_the_schedulers_of_two_replicas_send_each_reminder_once(
    built_db_path: Path, tmp_path: Path, line: FakeLine, slack: FakeSlack, pg: PostgresServer
) -> None:
    users = [f"U{i:032d}" for i in range(4)]
    setup_db(built_db_path, users=users)
    other = tmp_path / "replica-b.db"
    shutil.copyfile(built_db_path, other)  # the same meetings and subscribers, another file
    url = pg.create_database()
    settings = [make_settings(p, line, slack, database_url=url) for p in (built_db_path, other)]
    for moment in (T_7D, T_1D, T_2H):
        schedulers = [make_scheduler(s, Clock(moment)) for s in settings]
        barrier = threading.Barrier(2)
        reports: list = [None, None]

        def run(i: int, schedulers=schedulers, reports=reports, barrier=barrier) -> None:  # type: ignore[no-untyped-def]
            barrier.wait()
            reports[i] = schedulers[i].run_once()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        for s in schedulers:
            close_scheduler(s)
        assert sum(r.count("sent") for r in reports) == 1 + len(users)
    assert len(slack.posts()) == 3
    for u in users:
        assert len(line.pushes_to(u)) == 3
    assert len(line.calls(PUSH)) == 3 * len(users)
    shared = open_store(url)
    with shared.backend.transaction() as tx:
        row = tx.one("SELECT COUNT(*) AS n FROM reminder_deliveries WHERE status = 'sent'")
    shared.close()
    assert row == {"n": 3 * (1 + len(users))}
