"""Slack event dedupe: ``event_id`` claimed once in SQLite, so that a retry of an event already taken
is acknowledged and not processed again, across restarts too."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

SEEN_KEEP = dt.timedelta(hours=24)
_purge_lock = threading.Lock()
_last_purge = 0.0
PURGE_EVERY_SECONDS = 600.0


def claim_event(conn: Any, event_id: str, now: dt.datetime | None = None) -> bool:
    """Record ``event_id`` as taken; True only for the first caller (atomic across processes)."""
    global _last_purge
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    with conn:
        cur = conn.execute(
            "INSERT OR IGNORE INTO slack_seen_events (event_id, seen_at) VALUES (?, ?)",
            (event_id, moment.isoformat(timespec="milliseconds")),
        )
    fresh = cur.rowcount == 1
    with _purge_lock:
        due = time.monotonic() - _last_purge > PURGE_EVERY_SECONDS
        if due:
            _last_purge = time.monotonic()
    if due:  # now and then, forget ids older than a day (Slack retries within minutes)
        cutoff = (moment - SEEN_KEEP).isoformat(timespec="milliseconds")
        with conn:
            conn.execute("DELETE FROM slack_seen_events WHERE seen_at < ?", (cutoff,))
    return fresh
