"""Two replicas whose staff meetings, subscribers and reminder deliveries are one PostgreSQL database
(``DATABASE_URL``) send each reminder once: a meeting staff added on one replica and subscribers who
signed up on the other are seen by both schedulers, and of two schedulers racing for a reminder one
sends it. Each replica has its own curated SQLite file, which holds none of that state."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import PostgresServer, postgres_server

from bot.config import Settings
from bot.context import open_db
from bot.reminders.scheduler import Scheduler
from handlers.subscriptions import subscribe
from store import open_store
from strategy_data.database import connect
from strategy_data.meetings import NewMeeting, add_meeting

from .conftest import (
    HASH_KEY,
    LINE_SECRET,
    LINE_TOKEN,
    PUSH,
    SLACK_TOKEN,
    STAFF_CHANNEL,
    Clock,
    FakeLine,
    FakeSlack,
    fast_sleep,
    make_settings,
)
from .test_scheduler import SCHEDULED_AT, START, T_1D, T_2H, T_7D, uhash

USERS = [f"U{i:032d}" for i in range(4)]


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        if server is None:
            pytest.skip("PostgreSQL is not installed (make test installs it)")
        yield server


def _replicas(
    built_db_path: Path, tmp_path: Path, line: FakeLine, slack: FakeSlack, url: str
) -> list[Settings]:
    """Two replicas' settings (each its own curated file, one database); staff add the meeting on the
    first, citizens subscribe on the second."""
    files = [tmp_path / "replica-a.db", tmp_path / "replica-b.db"]
    for f in files:
        shutil.copyfile(built_db_path, f)
    settings = [make_settings(f, line, slack, database_url=url) for f in files]
    a = open_db(settings[0])
    add_meeting(
        a,
        NewMeeting(starts_at=START, place="市役所本館4階 会議室", agenda=["KPIの進捗について"]),
        by="t",
        now=SCHEDULED_AT,
    )
    a.close()
    b = open_db(settings[1])
    for u in USERS:
        subscribe(b, u, uhash(u), now=SCHEDULED_AT)
    b.close()
    for f in files:  # the state is the database's, not the files'
        db = connect(f)
        assert db.execute("SELECT count(*) FROM staff_meetings").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM line_subscriptions").fetchone() == (0,)
        db.close()
    return settings


def _sent(url: str) -> int:
    shared = open_store(url)
    try:
        with shared.backend.read() as tx:
            row = tx.one("SELECT COUNT(*) AS n FROM reminder_deliveries WHERE status = 'sent'")
    finally:
        shared.close()
    return int((row or {}).get("n", 0))


def test_the_schedulers_of_two_replicas_share_meetings_and_subscribers_and_send_each_reminder_once(
    built_db_path: Path, tmp_path: Path, line: FakeLine, slack: FakeSlack, pg: PostgresServer
) -> None:
    url = pg.create_database()
    settings = _replicas(built_db_path, tmp_path, line, slack, url)
    for moment in (T_7D, T_1D, T_2H):
        schedulers = [
            Scheduler(open_db(s), s, clock=Clock(moment), sleep=fast_sleep, backoff=0.5, slack_interval=0.02)
            for s in settings
        ]
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
            s.close()
            s.db.close()
        assert sum(r.count("sent") for r in reports) == 1 + len(USERS)
    assert len(slack.posts()) == 3
    for u in USERS:
        assert len(line.pushes_to(u)) == 3
    assert len(line.calls(PUSH)) == 3 * len(USERS)  # no second attempt of any push either
    assert _sent(url) == 3 * (1 + len(USERS))


def test_two_remind_processes_racing_send_each_reminder_once(
    built_db_path: Path, tmp_path: Path, line: FakeLine, slack: FakeSlack, pg: PostgresServer
) -> None:
    """``strategy-bot remind`` (cron) on two machines at the same minute: two processes, one database."""
    url = pg.create_database()
    settings = _replicas(built_db_path, tmp_path, line, slack, url)
    exe = Path(sys.executable).with_name("strategy-bot")
    procs = []
    for s in settings:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "SLACK_"))}
        env.update(
            STRATEGY_BOT_ENV_FILE="",
            STRATEGY_BOT_DB=str(s.db_path),
            DATABASE_URL=url,
            USER_HASH_KEY=HASH_KEY,
            LINE_CHANNEL_SECRET=LINE_SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=LINE_TOKEN,
            LINE_API_BASE_URL=line.url,
            SLACK_BOT_TOKEN=SLACK_TOKEN,
            SLACK_API_URL=f"{slack.url}/api/",
            SLACK_REMINDER_CHANNEL=STAFF_CHANNEL,
        )
        cmd = [str(exe), "remind", "--now", T_7D.isoformat()]
        procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
    outputs = [p.communicate(timeout=120)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len(slack.posts()) == 1
    for u in USERS:
        assert len(line.pushes_to(u)) == 1
    assert len(line.calls(PUSH)) == len(USERS)
    assert _sent(url) == 1 + len(USERS)
