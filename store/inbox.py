"""The durable LINE inbox: accepted events wait here until a worker has answered them.

The webhook calls :meth:`Inbox.accept` before it answers 200: in ONE transaction each delivery's
``webhookEventId`` is recorded in ``line_seen_events`` (``INSERT … ON CONFLICT DO NOTHING``) and every
new event is written to ``line_inbox``. So an acknowledged event is never lost, whatever happens to the
process afterwards, and an event LINE redelivers is recognised:

- a redelivery of an event that is done (answered, or its reply token expired) is skipped;
- a redelivery of an event that is not done yet is processed: it stays (or becomes) pending, with the
  redelivered copy of the event (a fresh reply token) unless a worker holds it right now.

Workers :meth:`claim` one event at a time with a lease (a claimer that died loses its rows when the
lease runs out; live claimers renew theirs), the oldest pending event of a chat whose earlier events are
all done, so one chat's messages are answered in order. :meth:`finish` marks an event done with the
reason, and drops the raw event (it holds the user's LINE id): what stays is id, times and outcome, for
24 hours. On PostgreSQL claimers skip each other's locked rows (``SKIP LOCKED``), so any number of
replicas and workers share one inbox.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

from store.backend import Backend

KEEP_SECONDS = 24 * 3600.0
MAX_ATTEMPTS = 5  # an event claimed this often without finishing is given up (it keeps killing workers)


@dataclass(frozen=True)
class NewEvent:
    """One event of a verified delivery, as the webhook hands it over."""

    webhook_event_id: str | None
    source_key: str  # keyed hash of the user, group or room
    event: dict[str, Any]


@dataclass(frozen=True)
class Accepted:
    new: int = 0
    resumed: int = 0  # redeliveries of events not done yet
    skipped: int = 0  # redeliveries of events already done


@dataclass(frozen=True)
class InboxEvent:
    id: int
    webhook_event_id: str | None
    event: dict[str, Any]
    destination: str | None
    received_at: float
    attempts: int


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Inbox:
    def __init__(self, backend: Backend):
        self.backend = backend

    def accept(
        self, events: list[NewEvent], destination: str | None, *, now: float | None = None
    ) -> Accepted:
        """Record a verified delivery durably; raises ``StoreUnavailable`` if the database is away."""
        moment = time.time() if now is None else now
        groups: dict[str | None, list[NewEvent]] = {}
        for ev in events:
            groups.setdefault(ev.webhook_event_id or None, []).append(ev)
        new = resumed = skipped = 0
        with self.backend.transaction() as tx:
            for event_id, group in groups.items():
                if event_id is not None:
                    fresh = tx.one(
                        "INSERT INTO line_seen_events (webhook_event_id, seen_at) VALUES (?, ?)"
                        " ON CONFLICT DO NOTHING RETURNING webhook_event_id",
                        [event_id, _iso(moment)],
                    )
                    if fresh is None:
                        n = self._redelivered(tx, event_id, group, moment)
                        resumed += n
                        skipped += len(group) - n
                        continue
                for position, ev in enumerate(group):
                    tx.execute(
                        "INSERT INTO line_inbox (webhook_event_id, position, source_key, event, destination,"
                        " received_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            event_id,
                            position if event_id is not None else 0,
                            ev.source_key,
                            json.dumps(ev.event, ensure_ascii=False),
                            destination,
                            moment,
                        ],
                    )
                    new += 1
        return Accepted(new=new, resumed=resumed, skipped=skipped)

    def _redelivered(self, tx: Any, event_id: str, group: list[NewEvent], now: float) -> int:
        rows = tx.execute(
            "SELECT id, position, status, lease_until FROM line_inbox WHERE webhook_event_id = ?"
            " ORDER BY position",
            [event_id],
        )
        pending = 0
        for row in rows:
            if row["status"] != "pending":
                continue
            pending += 1
            held = row["lease_until"] is not None and row["lease_until"] >= now
            if not held and row["position"] < len(group):
                tx.execute(  # the redelivered copy: its reply token, received now
                    "UPDATE line_inbox SET event = ?, received_at = ? WHERE id = ? AND status = 'pending'",
                    [json.dumps(group[row["position"]].event, ensure_ascii=False), now, row["id"]],
                )
        return min(pending, len(group))

    def claim(self, worker: str, *, lease: float, now: float | None = None) -> InboxEvent | None:
        """Take the next event to answer (None if there is none) and hold it for ``lease`` seconds."""
        moment = time.time() if now is None else now
        b = self.backend
        row = None
        with b.transaction() as tx:
            row = tx.one(
                "WITH next AS ("
                " SELECT i.id FROM line_inbox i"
                " WHERE i.status = 'pending' AND (i.lease_until IS NULL OR i.lease_until < ?)"
                " AND NOT EXISTS (SELECT 1 FROM line_inbox j WHERE j.source_key = i.source_key"
                "  AND j.status = 'pending' AND j.id < i.id)"
                f" ORDER BY i.id LIMIT 1{b.skip_locked})"
                " UPDATE line_inbox SET claimed_by = ?, lease_until = ?, attempts = attempts + 1"
                " WHERE id IN (SELECT id FROM next)"
                " RETURNING id, webhook_event_id, event, destination, received_at, attempts",
                [moment, worker, moment + lease],
            )
        if row is None:
            return None
        return InboxEvent(
            id=row["id"],
            webhook_event_id=row["webhook_event_id"],
            event=json.loads(row["event"] or "{}"),
            destination=row["destination"],
            received_at=row["received_at"],
            attempts=row["attempts"],
        )

    def renew(self, worker: str, ids: list[int], *, lease: float, now: float | None = None) -> None:
        """Extend the leases this worker holds (a heartbeat while it answers)."""
        if not ids:
            return
        moment = time.time() if now is None else now
        marks = ",".join("?" for _ in ids)
        with self.backend.transaction() as tx:
            tx.execute(
                f"UPDATE line_inbox SET lease_until = ? WHERE claimed_by = ? AND status = 'pending'"
                f" AND id IN ({marks})",
                [moment + lease, worker, *ids],
            )

    def release(self, workers: list[str]) -> int:
        """Give back the claims of workers known to be dead (e.g. a killed process on this machine)."""
        if not workers:
            return 0
        marks = ",".join("?" for _ in workers)
        with self.backend.transaction() as tx:
            tx.execute(
                f"UPDATE line_inbox SET lease_until = NULL, claimed_by = NULL"
                f" WHERE status = 'pending' AND claimed_by IN ({marks})",
                workers,
            )
            return tx.rowcount

    def claimers(self) -> list[str]:
        """Who holds pending events now."""
        with self.backend.transaction() as tx:
            rows = tx.execute(
                "SELECT DISTINCT claimed_by FROM line_inbox"
                " WHERE status = 'pending' AND claimed_by IS NOT NULL"
            )
        return [r["claimed_by"] for r in rows]

    def finish(self, event_id: int, worker: str, outcome: str, *, now: float | None = None) -> bool:
        """Mark an event done with why (False if this worker no longer held it)."""
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            tx.execute(
                "UPDATE line_inbox SET status = 'done', outcome = ?, done_at = ?, event = NULL,"
                " lease_until = NULL WHERE id = ? AND claimed_by = ? AND status = 'pending'",
                [outcome[:200], moment, event_id, worker],
            )
            return tx.rowcount == 1

    def pending(self) -> int:
        with self.backend.transaction() as tx:
            row = tx.one("SELECT COUNT(*) AS n FROM line_inbox WHERE status = 'pending'")
        return int(row["n"]) if row else 0

    def outcomes(self) -> dict[str, int]:
        """How many events ended how (for tests, benchmarks and health)."""
        with self.backend.transaction() as tx:
            rows = tx.execute(
                "SELECT COALESCE(outcome, status) AS o, COUNT(*) AS n FROM line_inbox"
                " GROUP BY COALESCE(outcome, status)"
            )
        return {r["o"]: int(r["n"]) for r in rows}

    def purge(self, *, now: float | None = None) -> int:
        """Forget done events and seen ids older than 24 hours."""
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            tx.execute(
                "DELETE FROM line_inbox WHERE status = 'done' AND done_at < ?", [moment - KEEP_SECONDS]
            )
            removed = tx.rowcount
            tx.execute("DELETE FROM line_seen_events WHERE seen_at < ?", [_iso(moment - KEEP_SECONDS)])
        return removed
