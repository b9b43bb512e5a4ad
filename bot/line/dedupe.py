"""Each LINE ``webhookEventId`` is processed once: seen ids are kept in SQLite for 24 hours.

``claim`` inserts the ids of one delivery and returns those that were new, atomically, so two
overlapping deliveries of the same event (LINE redelivering while the first is still in flight) can
never both act on it. Events of one delivery that share an id are treated as one claim: they all go
through if the id is new (LINE never repeats an id inside a delivery, but the SDK's sample does).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Iterable

KEEP = dt.timedelta(hours=24)
PURGE_EVERY_SECONDS = 600.0

_write_lock = threading.Lock()  # one writer at a time in this process: no SQLite busy-wait sleeps
_purge_lock = threading.Lock()
_last_purge = 0.0


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def claim(conn: sqlite3.Connection, event_ids: Iterable[str], *, now: dt.datetime | None = None) -> set[str]:
    """Record ``event_ids`` as seen; return the ones nobody had seen before."""
    ids = list(dict.fromkeys(i for i in event_ids if i))
    if not ids:
        return set()
    moment = now or dt.datetime.now(dt.UTC)
    seen_at = _iso(moment)
    fresh: set[str] = set()
    with _write_lock, conn:
        for event_id in ids:
            cur = conn.execute(
                "INSERT OR IGNORE INTO line_seen_events (webhook_event_id, seen_at) VALUES (?, ?)",
                (event_id, seen_at),
            )
            if cur.rowcount == 1:
                fresh.add(event_id)
    _maybe_purge(conn, moment)
    return fresh


def purge(conn: sqlite3.Connection, *, now: dt.datetime | None = None) -> int:
    """Forget ids seen more than 24 hours ago; return how many were removed."""
    cutoff = _iso((now or dt.datetime.now(dt.UTC)) - KEEP)
    with _write_lock, conn:
        cur = conn.execute("DELETE FROM line_seen_events WHERE seen_at < ?", (cutoff,))
    return cur.rowcount


def _maybe_purge(conn: sqlite3.Connection, now: dt.datetime) -> None:
    global _last_purge
    tick = time.monotonic()
    with _purge_lock:
        if _last_purge and tick - _last_purge < PURGE_EVERY_SECONDS:
            return
        _last_purge = tick
    purge(conn, now=now)
