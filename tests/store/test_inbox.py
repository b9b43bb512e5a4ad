"""The LINE inbox on both backends: accepted once, redeliveries, ordered claims, leases, racing claimers."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from store import Store
from store.inbox import NewEvent


def ev(event_id: str | None, source: str = "s1", **extra: object) -> NewEvent:
    return NewEvent(event_id, source, {"webhookEventId": event_id, **extra})


def drain(store: Store, worker: str = "w", outcome: str = "replied") -> list[str | None]:
    done = []
    while (e := store.inbox.claim(worker, lease=30)) is not None:
        assert store.inbox.finish(e.id, worker, outcome)
        done.append(e.webhook_event_id)
    return done


def test_a_delivery_is_accepted_once_and_a_done_redelivery_is_skipped(store: Store) -> None:
    assert store.inbox.accept([ev("a"), ev("b", "s2")], "bot").new == 2
    assert sorted(drain(store)) == ["a", "b"]
    again = store.inbox.accept([ev("a"), ev("b", "s2")], "bot")
    assert (again.new, again.resumed, again.skipped) == (0, 0, 2)
    assert store.inbox.claim("w", lease=30) is None


def test_a_redelivery_of_an_unfinished_event_is_processed_with_the_new_copy(store: Store) -> None:
    store.inbox.accept([ev("a", replyToken="old")], None)
    again = store.inbox.accept([ev("a", replyToken="new")], None)
    assert (again.new, again.resumed) == (0, 1)
    claimed = store.inbox.claim("w", lease=30)
    assert claimed is not None and claimed.event["replyToken"] == "new"
    # redelivered while a worker holds it: the worker's copy is kept, nothing is added
    assert store.inbox.accept([ev("a", replyToken="newer")], None).resumed == 1
    assert store.inbox.claim("w2", lease=30) is None
    assert store.inbox.finish(claimed.id, "w", "replied")
    assert store.inbox.accept([ev("a")], None).skipped == 1


def test_events_sharing_an_id_in_one_delivery_are_all_kept(store: Store) -> None:
    store.inbox.accept([ev("same", n=1), ev("same", n=2), ev(None, n=3), ev(None, n=4)], None)
    got = []
    while (e := store.inbox.claim("w", lease=30)) is not None:
        got.append(e.event["n"])
        store.inbox.finish(e.id, "w", "replied")
    assert sorted(got) == [1, 2, 3, 4]


def test_one_chats_events_are_claimed_in_order_one_at_a_time(store: Store) -> None:
    store.inbox.accept([ev("1", "u"), ev("2", "u"), ev("3", "v")], None)
    first = store.inbox.claim("w1", lease=30)
    second = store.inbox.claim("w2", lease=30)
    assert first is not None and second is not None
    assert (first.webhook_event_id, second.webhook_event_id) == ("1", "3")
    assert store.inbox.claim("w3", lease=30) is None  # "2" waits for "1"
    store.inbox.finish(first.id, "w1", "replied")
    third = store.inbox.claim("w3", lease=30)
    assert third is not None and third.webhook_event_id == "2"


def test_a_dead_claimers_events_are_reclaimed_when_the_lease_runs_out(store: Store) -> None:
    store.inbox.accept([ev("a")], None, now=1000.0)
    lost = store.inbox.claim("dead", lease=30, now=1000.0)
    assert lost is not None
    assert store.inbox.claim("live", lease=30, now=1010.0) is None
    store.inbox.renew("dead", [lost.id], lease=30, now=1020.0)  # still alive at 1020
    assert store.inbox.claim("live", lease=30, now=1040.0) is None
    taken = store.inbox.claim("live", lease=30, now=1051.0)
    assert taken is not None and taken.attempts == 2
    assert not store.inbox.finish(lost.id, "dead", "replied")  # the old claimer lost it
    assert store.inbox.finish(taken.id, "live", "replied")


def test_release_gives_back_a_known_dead_claimers_events(store: Store) -> None:
    store.inbox.accept([ev("a")], None)
    assert store.inbox.claim("host:1:x", lease=300) is not None
    assert store.inbox.claimers() == ["host:1:x"]
    assert store.inbox.release(["host:1:x"]) == 1
    assert store.inbox.claim("host:2:y", lease=300) is not None


def test_finished_events_drop_the_raw_event_and_are_purged_after_a_day(store: Store) -> None:
    store.inbox.accept([ev("a", "s1", user={"userId": "U123"})], None, now=1000.0)
    e = store.inbox.claim("w", lease=30, now=1000.0)
    assert e is not None
    store.inbox.finish(e.id, "w", "token_expired", now=1001.0)
    with store.backend.transaction() as tx:
        row = tx.one("SELECT event, outcome FROM line_inbox WHERE id = ?", [e.id])
    assert row == {"event": None, "outcome": "token_expired"}
    assert store.inbox.outcomes() == {"token_expired": 1}
    assert store.inbox.purge(now=1001.0 + 86401) == 1


def test_racing_replicas_accept_and_claim_each_event_exactly_once(open_stores: Callable[[], Store]) -> None:
    replicas = [open_stores() for _ in range(4)]
    events = [ev(f"e{i}", f"s{i % 7}") for i in range(120)]
    barrier = threading.Barrier(len(replicas))
    accepted: list[int] = []
    answered: list[str] = []
    lock = threading.Lock()

    def replica(s: Store, name: str) -> None:
        barrier.wait()
        result = s.inbox.accept(events, None)  # every replica gets the same delivery
        with lock:
            accepted.append(result.new)
        for _ in range(3):  # a few passes: others may still be holding earlier events of a chat
            for eid in drain(s, name):
                with lock:
                    answered.append(str(eid))

    threads = [threading.Thread(target=replica, args=(s, f"r{i}")) for i, s in enumerate(replicas)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answered += [str(e) for e in drain(replicas[0], "last")]
    assert sum(accepted) == len(events)
    assert Counter(answered) == Counter(e.webhook_event_id for e in events)
