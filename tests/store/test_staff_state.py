"""Staff state behind the store, on both backends: KPI actuals with their audit log and undo, staff
meetings, subscriptions and member links. Each "replica" is its own copy of the curated SQLite file
whose run-time state is one store (a SQLite file of its own, or PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from handlers.subscriptions import issue_invite, redeem_invite, subscribe, subscription_member, unsubscribe
from handlers.unanswered import record_unanswered, top_unanswered
from store import Store
from strategy_data.actuals import (
    NothingToUndo,
    audit_log,
    history,
    import_csv,
    parse_entry,
    record_actual,
    staff_actuals,
    undo_last,
)
from strategy_data.clock import JST
from strategy_data.database import BuildError, build, connect
from strategy_data.loader import load
from strategy_data.meetings import NewMeeting, add_meeting, cancel_meeting, list_meetings, move_meeting

NOW = dt.datetime(2024, 6, 1, 10, 0, tzinfo=JST)

Replica = Callable[[], "object"]


@pytest.fixture
def replicas(built_db_path: Path, tmp_path: Path, open_stores: Callable[[], Store]):  # type: ignore[no-untyped-def]
    """``make()`` opens one more replica: a private copy of the curated file, a store of its own on the
    one shared database; all closed at the end."""
    opened = []

    def make():  # type: ignore[no-untyped-def]
        path = tmp_path / f"replica-{len(opened)}.db"
        shutil.copyfile(built_db_path, path)
        store = open_stores()
        db = connect(path, state=lambda: store.backend)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


def test_actuals_set_undo_and_import_are_shared_and_audited(replicas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = replicas(), replicas()
    record_actual(a, parse_entry(a, kpi="births", year=2022, value="6,100"), by="slack:UA", now=NOW)
    change = record_actual(b, parse_entry(b, kpi="births", year=2022, value="6,200"), by="slack:UB", now=NOW)
    assert (change.old_value, change.new_value) == (6100.0, 6200.0)
    assert [(s.kpi_id, s.year, s.value) for s in staff_actuals(a)] == [("births", 2022, 6200.0)]
    assert history(a, "births").latest() == (2022, 6200.0, "staff")
    undone = undo_last(b, by="slack:UB", now=NOW)
    assert [(u.old_value, u.new_value) for u in undone] == [(6200.0, 6100.0)]
    assert [s.entered_by for s in staff_actuals(a)] == ["slack:UA"]
    with pytest.raises(NothingToUndo):
        undo_last(b, by="slack:UB", now=NOW)
    csv = tmp_path / "actuals.csv"
    csv.write_text("kpi_id,year,value\nbirths,2023,6000\nwaiting-children,2022,3\n", encoding="utf-8")
    result = import_csv(b, csv, by="cli:staff", now=NOW)
    assert result.written == 2
    keys = {(s.kpi_id, s.year) for s in staff_actuals(a)}
    assert keys == {("births", 2022), ("births", 2023), ("waiting-children", 2022)}
    assert [c.action for c in audit_log(a, limit=10)] == ["import", "import", "undo", "set", "set"]


def test_many_writers_on_two_replicas_are_serialized_and_all_audited(replicas) -> None:  # type: ignore[no-untyped-def]
    n = 12
    dbs = [replicas(), replicas()]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        db = dbs[i]
        try:
            barrier.wait(30)
            for k in range(n):
                entry = parse_entry(db, kpi="births", year=2023, value=str(6000 + 100 * i + k))
                record_actual(db, entry, by=f"slack:U{i}", now=NOW)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    audit = list(reversed(audit_log(dbs[0], "births", limit=100)))
    assert len(audit) == 2 * n
    # a chain: each change replaced exactly the value the one before it wrote
    assert audit[0].old_value is None
    assert all(later.old_value == earlier.new_value for earlier, later in itertools.pairwise(audit))
    assert [s.value for s in staff_actuals(dbs[1], "births")] == [audit[-1].new_value]


def test_staff_meetings_are_shared_and_concurrent_adds_get_their_own_numbers(replicas) -> None:  # type: ignore[no-untyped-def]
    a, b = replicas(), replicas()
    start = dt.datetime(2030, 5, 1, 14, 0, tzinfo=JST)
    barrier = threading.Barrier(2)
    added = []

    def add(db) -> None:  # type: ignore[no-untyped-def]
        barrier.wait(30)
        added.append(add_meeting(db, NewMeeting(starts_at=start, place="市役所"), by="slack:U1", now=NOW))

    threads = [threading.Thread(target=add, args=(db,)) for db in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len({m.number for m in added}) == 2
    first = min(added, key=lambda m: m.number or 0)
    moved = move_meeting(b, first.staff_id or 0, start + dt.timedelta(days=1), by="slack:U2", now=NOW)
    assert moved.starts_at == start + dt.timedelta(days=1)
    cancel_meeting(a, first.staff_id or 0, by="slack:U2", now=NOW)
    keys_b = [m.key for m in list_meetings(b) if m.origin == "staff"]
    assert keys_b == [m.key for m in added if m.key != first.key]
    assert first.key in [m.key for m in list_meetings(b, include_cancelled=True)]


def test_subscriptions_and_member_links_are_shared_and_a_code_is_redeemed_once(replicas) -> None:  # type: ignore[no-untyped-def]
    a, b = replicas(), replicas()
    assert subscribe(a, "U1", "h1", now=NOW) is True
    assert subscribe(b, "U1", "h1", now=NOW) is False
    assert subscription_member(b, "U1") is None
    invite = issue_invite(a, "member-arakawa", by="slack:S", now=NOW)
    barrier = threading.Barrier(2)
    won: list[str | None] = []

    def redeem(db, user: str) -> None:  # type: ignore[no-untyped-def]
        barrier.wait(30)
        won.append(redeem_invite(db, invite.code, user_id=user, user_hash="h" + user, now=NOW))

    threads = [threading.Thread(target=redeem, args=(db, u)) for db, u in ((a, "U2"), (b, "U3"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(won, key=str) == [None, "member-arakawa"]
    linked = [u for u in ("U2", "U3") if subscription_member(a, u) == "member-arakawa"]
    assert len(linked) == 1
    assert unsubscribe(b, linked[0]) is True
    assert subscription_member(a, linked[0]) is False


def test_a_rebuild_keeps_the_stores_staff_rows_and_refuses_to_orphan_them(replicas) -> None:  # type: ignore[no-untyped-def]
    db = replicas()
    record_actual(db, parse_entry(db, kpi="tourism-spending", year=2022, value="300"), by="slack:U", now=NOW)
    data = load()
    build(db, data)  # the same data again: nothing of the store is touched
    assert [(s.kpi_id, s.value) for s in staff_actuals(db)] == [("tourism-spending", 300.0)]
    kept = [k for k in data.kpis.kpis if k.id != "tourism-spending"]
    trimmed = dataclasses.replace(data, kpis=data.kpis.model_copy(update={"kpis": kept}))
    with pytest.raises(BuildError, match="tourism-spending"):
        build(db, trimmed)
    assert db.execute("SELECT count(*) FROM kpis WHERE id = 'tourism-spending'").fetchone() == (1,)
    assert len(audit_log(db)) == 1


def test_a_new_postgresql_store_adopts_the_staff_rows_of_the_sqlite_install_once(
    store_url: str, built_db_path: Path, tmp_path: Path
) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("the SQLite store's staff tables are the file's own: nothing to adopt")
    from store import open_store

    legacy = connect(built_db_path)  # an install from before the store: its state in its own file
    record_actual(legacy, parse_entry(legacy, kpi="births", year=2022, value="6100"), by="slack:U", now=NOW)
    record_actual(legacy, parse_entry(legacy, kpi="births", year=2022, value="6200"), by="slack:U", now=NOW)
    undo_last(legacy, by="slack:U", now=NOW)
    soon = NewMeeting(starts_at=NOW + dt.timedelta(days=30), place="市役所")
    old = add_meeting(legacy, soon, by="s", now=NOW)
    subscribe(legacy, "U1", "h1", now=NOW)
    record_unanswered(legacy, "市長の任期は？", "line", NOW)
    with legacy.conn:  # the 7-day reminder of the meeting was sent before the move
        legacy.execute(
            "INSERT INTO reminder_deliveries (meeting_key, starts_at, kind, recipient, due_at, status,"
            " retry_key) VALUES (?, ?, '7d', 'line:h1', ?, 'sent', 'k1')",
            [old.key, old.starts_at.isoformat(), NOW.isoformat()],
        )
    legacy.close()
    other = tmp_path / "other.db"
    shutil.copyfile(built_db_path, other)

    store = open_store(store_url, lazy=True, adopt_from=built_db_path)
    try:
        db = connect(tmp_path / "other.db", state=lambda: store.backend)
        assert [(s.kpi_id, s.value) for s in staff_actuals(db)] == [("births", 6100.0)]
        assert [c.action for c in audit_log(db)] == ["undo", "set", "set"]
        assert audit_log(db)[0].reverted_audit_id == audit_log(db)[1].audit_id
        assert [m.key for m in list_meetings(db) if m.origin == "staff"] == [old.key]
        assert subscription_member(db, "U1") is None
        assert [t for t, _n, _last in top_unanswered(store.backend, 3650, NOW)] == ["市長の任期は?"]
        with store.backend.read() as tx:
            sent = tx.execute("SELECT meeting_key, kind, status FROM reminder_deliveries")
        assert sent == [{"meeting_key": old.key, "kind": "7d", "status": "sent"}]
        later = NewMeeting(starts_at=NOW + dt.timedelta(days=60), place="市役所")
        new = add_meeting(db, later, by="s", now=NOW)
        assert (new.staff_id or 0) > (old.staff_id or 0)  # ids go on above the adopted ones
        db.close()
    finally:
        store.close()
    # a second replica with staff rows in its file adopts nothing: the database already has its rows
    again = open_store(store_url, lazy=True, adopt_from=other)
    try:
        with again.backend.read() as tx:
            assert tx.one("SELECT count(*) AS n FROM staff_meetings") == {"n": 2}
            assert tx.one("SELECT count(*) AS n FROM store_adoptions") == {"n": 1}
    finally:
        again.close()
