"""Questions the bot could not answer: recorded (normalized text, channel, time; never a user id)
so that staff can see what people ask and extend synonyms.yaml."""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from nlp.normalize import normalize

MAX_STORED = 500


def record_unanswered(db: sqlite_utils.Database, text: str, channel: str, at: dt.datetime) -> None:
    """Store one unanswered question; empty text is not stored."""
    norm = normalize(text)[:MAX_STORED]
    if not norm:
        return
    with db.atomic():
        db.execute(
            "INSERT INTO unanswered (text, channel, asked_at) VALUES (?, ?, ?)",
            [norm, channel, at.isoformat(timespec="seconds")],
        )


def top_unanswered(
    db: sqlite_utils.Database, days: int, now: dt.datetime, *, limit: int = 20
) -> list[tuple[str, int, str]]:
    """The most frequent unanswered questions of the last ``days`` days: (text, count, last asked)."""
    since = (now - dt.timedelta(days=days)).isoformat(timespec="seconds")
    rows = db.execute(
        "SELECT text, COUNT(*) AS n, MAX(asked_at) AS last FROM unanswered WHERE asked_at >= ?"
        " GROUP BY text ORDER BY n DESC, last DESC LIMIT ?",
        [since, limit],
    ).fetchall()
    return [(text, int(n), last) for text, n, last in rows]
