"""Writes that read first take SQLite's write lock first: another connection committing between their
read and their write (the store's inbox workers do, all the time) must not fail them.

The interleaving is made exact, not timed: SQLite calls a connection's trace callback as each
statement starts, so the other connection commits just as the write under test begins, after its
read. With a deferred ``BEGIN`` SQLite then refuses the write at once ("database is locked")."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils

from handlers.subscriptions import issue_invite, redeem_invite, subscribe
from strategy_data.clock import JST
from strategy_data.database import connect
from strategy_data.meetings import NewMeeting, add_meeting

NOW = dt.datetime(2030, 4, 1, 9, 0, tzinfo=JST)
USER = "U" + "7" * 32


def commit_elsewhere_when(db: sqlite_utils.Database, path: Path, statement: str) -> list[str]:
    """When ``db`` starts a statement beginning with ``statement``, another connection writes and
    commits (once). Returns what happened to that write: "committed", or "waited" when ``db``
    already held the write lock (the other writer would wait its turn; here it gives up after
    0.1 s instead of blocking the very thread that holds the lock)."""
    other = sqlite3.connect(str(path), timeout=0.1, isolation_level=None)
    other.execute("CREATE TABLE IF NOT EXISTS elsewhere (n INTEGER)")
    outcome: list[str] = []

    def trace(sql: str) -> None:
        if outcome or not sql.lstrip().upper().startswith(statement):
            return
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO elsewhere VALUES (1)")
            other.execute("COMMIT")
            outcome.append("committed")
        except sqlite3.OperationalError:
            outcome.append("waited")
        finally:
            other.close()

    db.conn.set_trace_callback(trace)
    return outcome


def _subscribe(db: sqlite_utils.Database) -> Callable[[], object]:
    return lambda: subscribe(db, USER, "u_7777", now=NOW)


def _redeem(db: sqlite_utils.Database) -> Callable[[], object]:
    code = issue_invite(db, "荒川 浩二", by="t", now=NOW).code
    return lambda: redeem_invite(db, code, user_id=USER, user_hash="u_7777", now=NOW)


def _add_meeting(db: sqlite_utils.Database) -> Callable[[], object]:
    meeting = NewMeeting(starts_at=dt.datetime(2030, 5, 10, 14, tzinfo=JST), place="市役所")
    return lambda: add_meeting(db, meeting, by="t", now=NOW)


@pytest.mark.parametrize(
    ("prepare", "statement", "done"),
    [
        (_subscribe, "INSERT INTO LINE_SUBSCRIPTIONS", True),  # after: is this user subscribed?
        (_redeem, "UPDATE MEMBER_INVITES SET USED_AT", "member-arakawa"),  # after: is the code valid?
        (_add_meeting, "INSERT INTO STAFF_MEETINGS", None),  # after: the next meeting number
    ],
    ids=["subscribe", "redeem_invite", "add_meeting"],
)
def test_a_commit_between_read_and_write_does_not_fail_the_write(
    built_db_path: Path,
    prepare: Callable[[sqlite_utils.Database], Callable[[], object]],
    statement: str,
    done: object,
) -> None:
    db = connect(built_db_path)
    try:
        write = prepare(db)
        outcome = commit_elsewhere_when(db, built_db_path, statement)
        result = write()
        if done is not None:
            assert result == done
        assert outcome == ["waited"]  # the write lock was ours before the read
    finally:
        db.conn.set_trace_callback(None)
        db.close()
