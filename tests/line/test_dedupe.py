"""The webhookEventId store: claims are atomic, ids are kept 24 hours."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from bot.line import dedupe
from strategy_data.database import connect


def test_an_id_is_claimed_once(tmp_path: Path) -> None:
    db = connect(tmp_path / "s.db")
    assert dedupe.claim(db.conn, ["a", "b", "a", ""]) == {"a", "b"}
    assert dedupe.claim(db.conn, ["a", "c"]) == {"c"}
    assert dedupe.claim(db.conn, []) == set()


def test_racing_deliveries_claim_each_id_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    connect(path).close()
    ids = [f"e{i}" for i in range(200)]
    won: list[set[str]] = []
    barrier = threading.Barrier(4)

    def racer() -> None:
        db = connect(path)
        barrier.wait()
        won.append(dedupe.claim(db.conn, ids))
        db.close()

    threads = [threading.Thread(target=racer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(i for w in won for i in w) == sorted(ids)  # every id won by exactly one delivery


def test_ids_older_than_24_hours_are_forgotten(tmp_path: Path) -> None:
    db = connect(tmp_path / "s.db")
    now = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    dedupe.claim(db.conn, ["old"], now=now - dt.timedelta(hours=25))
    dedupe.claim(db.conn, ["recent"], now=now - dt.timedelta(hours=23))
    assert dedupe.purge(db.conn, now=now) == 1
    assert dedupe.claim(db.conn, ["old", "recent"], now=now) == {"old"}
