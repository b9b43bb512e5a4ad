"""Questions the bot could not answer: recorded (normalized text, channel, time; never a user id)
so that staff can see what people ask and extend synonyms.yaml.

The log is the store's table (``store/migrations/*/0003_unanswered.sql``): pass the store's backend
(PostgreSQL with ``DATABASE_URL``, so every replica writes one log), or a sqlite-utils database for
the table in that file.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from nlp.normalize import normalize
from store.backend import Backend, SqliteConnBackend

MAX_STORED = 500

Log = sqlite_utils.Database | Backend


def _backend(log: Log) -> Backend:
    return log if isinstance(log, Backend) else SqliteConnBackend(log.conn)


def record_unanswered(log: Log, text: str, channel: str, at: dt.datetime) -> None:
    """Store one unanswered question; empty text is not stored."""
    norm = normalize(text)[:MAX_STORED]
    if not norm:
        return
    with _backend(log).transaction() as tx:
        tx.execute(
            "INSERT INTO unanswered (text, channel, asked_at) VALUES (?, ?, ?)",
            [norm, channel, at.isoformat(timespec="seconds")],
        )


def top_unanswered(log: Log, days: int, now: dt.datetime, *, limit: int = 20) -> list[tuple[str, int, str]]:
    """The most frequent unanswered questions of the last ``days`` days: (text, count, last asked)."""
    since = (now - dt.timedelta(days=days)).isoformat(timespec="seconds")
    with _backend(log).transaction() as tx:
        rows = tx.execute(
            "SELECT text, COUNT(*) AS n, MAX(asked_at) AS last FROM unanswered WHERE asked_at >= ?"
            " GROUP BY text ORDER BY n DESC, last DESC LIMIT ?",
            [since, limit],
        )
    return [(r["text"], int(r["n"]), r["last"]) for r in rows]
