"""Things that must happen once: Slack events by ``event_id``, signed commands by request digest.

Both are an ``INSERT … ON CONFLICT DO NOTHING`` on a unique key: of two replicas receiving the same
thing, exactly one insert succeeds and only that one acts.

A replayed Slack slash command (the same signed request posted again within Slack's 5-minute window)
must not create a second meeting: :meth:`Once.first_command` takes a digest of the signed timestamp and
body; the digest is kept 10 minutes, longer than the signature window, so a replay is always caught.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from store.backend import Backend

EVENT_KEEP_SECONDS = 24 * 3600.0
COMMAND_KEEP_SECONDS = 600.0


def request_digest(timestamp: str, body: bytes) -> str:
    return hashlib.sha256(timestamp.encode("ascii", "replace") + b":" + body).hexdigest()


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Once:
    def __init__(self, backend: Backend):
        self.backend = backend

    def first_slack_event(self, event_id: str, *, now: float | None = None) -> bool:
        """True the first time ``event_id`` is seen (in the last 24 hours), False for a repeat."""
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            row = tx.one(
                "INSERT INTO slack_seen_events (event_id, seen_at) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING RETURNING event_id",
                [event_id, _iso(moment)],
            )
        return row is not None

    def first_command(self, digest: str, *, now: float | None = None) -> bool:
        """True the first time this signed request is seen, False for a replay."""
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            tx.execute("DELETE FROM command_replays WHERE seen_at < ?", [moment - COMMAND_KEEP_SECONDS])
            row = tx.one(
                "INSERT INTO command_replays (digest, seen_at) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING RETURNING digest",
                [digest, moment],
            )
        return row is not None

    def purge(self, *, now: float | None = None) -> None:
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            tx.execute("DELETE FROM slack_seen_events WHERE seen_at < ?", [_iso(moment - EVENT_KEEP_SECONDS)])
