"""Conversations, once-only keys, confirm previews and migrations on both backends."""

from __future__ import annotations

import threading
from collections.abc import Callable

from store import Store
from store.conversations import conversation_key
from store.migrate import applied, available, migrate
from store.once import request_digest


def test_conversation_state_expires_and_is_swept(store: Store) -> None:
    key = conversation_key("line", "u_abc", "G1")
    assert key == "line:u_abc:G1"
    assert store.conversations.get(key) is None
    store.conversations.put(key, {"last": "kpi", "kpi_id": "births"}, ttl=60, now=1000.0)
    store.conversations.put(key, {"last": "term", "id": "mice"}, ttl=60, now=1010.0)
    assert store.conversations.get(key, now=1020.0) == {"last": "term", "id": "mice"}
    assert store.conversations.get(key, now=1071.0) is None
    assert store.conversations.sweep(now=1071.0) == 1


def test_a_conversation_outlives_its_store_and_only_expired_ones_are_swept(
    open_stores: Callable[[], Store],
) -> None:
    first = open_stores()
    live, stale = conversation_key("web", "u_live"), conversation_key("slack", "u_old", "D1")
    first.conversations.put(live, {"record": "births", "asked": ["latest"]}, ttl=1800, now=1000.0)
    first.conversations.put(stale, {"record": "tourism-spending"}, ttl=60, now=1000.0)
    first.close()  # a restart, or another replica: the topic is in the database, not the process
    second = open_stores()
    assert second.conversations.get(live, now=1100.0) == {"record": "births", "asked": ["latest"]}
    assert second.conversations.sweep(now=1100.0) == 1
    assert second.conversations.get(live, now=1100.0) is not None
    assert second.conversations.get(stale, now=1001.0) is None  # swept, not merely hidden
    second.conversations.delete(live)
    assert second.conversations.get(live, now=1100.0) is None


def test_a_slack_event_and_a_signed_command_are_acted_on_once(store: Store) -> None:
    assert store.once.first_slack_event("Ev1")
    assert not store.once.first_slack_event("Ev1")
    digest = request_digest("1700000000", b"command=/meeting&text=add")
    assert store.once.first_command(digest, now=1000.0)
    assert not store.once.first_command(digest, now=1200.0)
    assert store.once.first_command(request_digest("1700000001", b"command=/meeting&text=add"), now=1200.0)
    assert store.once.first_command(digest, now=1000.0 + 601)  # long after the signature window


def test_a_preview_is_confirmed_once_by_whom_it_was_shown_to(store: Store) -> None:
    code = store.previews.issue(
        "kpi_set", "births:2023", {"value": 1.5}, basis={"value": None}, issued_to="U1", ttl=60, now=1000.0
    )
    assert store.previews.use("never-issued", by="U1", now=1001.0).refusal == "unknown"
    assert store.previews.use(code, by="U2", now=1001.0).refusal == "other_user"
    used = store.previews.use(code, by="U1", now=1001.0)
    assert used.preview is not None and used.preview.payload == {"value": 1.5}
    assert used.preview.basis == {"value": None}
    assert store.previews.use(code, by="U1", now=1002.0).refusal == "used"
    late = store.previews.issue("kpi_set", "x", {}, basis=None, issued_to="U1", ttl=60, now=1000.0)
    assert store.previews.use(late, by="U1", now=1061.0).refusal == "expired"


def test_two_confirms_of_one_preview_on_two_replicas_succeed_once(open_stores: Callable[[], Store]) -> None:
    a, b = open_stores(), open_stores()
    code = a.previews.issue("kpi_set", "k", {"v": 1}, basis=None, issued_to="U1")
    results = []
    barrier = threading.Barrier(2)

    def confirm(s: Store) -> None:
        barrier.wait()
        results.append(s.previews.use(code, by="U1").preview is not None)

    threads = [threading.Thread(target=confirm, args=(s,)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]


def test_migrations_are_applied_once_even_by_racing_replicas(open_stores: Callable[[], Store]) -> None:
    first = open_stores()
    versions = [m.version for m in available(first.dialect)]
    assert applied(first.backend) == versions
    outcomes: list[list[int]] = []
    barrier = threading.Barrier(3)

    def again() -> None:
        barrier.wait()
        outcomes.append(migrate(first.backend))

    threads = [threading.Thread(target=again) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [[], [], []]


def test_the_unanswered_log_counts_questions_on_both_backends(store: Store) -> None:
    import datetime as dt

    from handlers.unanswered import record_unanswered, top_unanswered
    from strategy_data.clock import JST

    now = dt.datetime(2026, 5, 1, 12, 0, tzinfo=JST)
    for text, days_ago in [("今日の天気は？", 1), ("今日の天気は？", 2), ("ラーメン", 3), ("古い質問", 40)]:
        record_unanswered(store.backend, text, "line", now - dt.timedelta(days=days_ago))
    top = top_unanswered(store.backend, 30, now)
    assert [(text, n) for text, n, _ in top] == [("今日の天気は?", 2), ("ラーメン", 1)]
