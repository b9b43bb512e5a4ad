"""The ``reminder_deliveries`` table: claim-then-send, so each reminder goes out at most once.

A delivery is identified by (meeting key, the meeting's start, kind, recipient). Before sending, a
scheduler *claims* it with ``INSERT OR IGNORE`` on that unique key: of two schedulers racing (two
threads, two processes, a cron run beside the server) exactly one insert succeeds and only that one
sends. The claim carries a lease; a claim whose lease ran out (its process died mid-send) may be
taken over with a compare-and-set ``UPDATE`` and is resumed with the *same* retry key, so LINE
deduplicates it and Slack is checked for the message first. Finished rows (sent, failed, skipped,
obsolete) are never claimed again.

All times are stored as ISO 8601 in Asia/Tokyo (one fixed offset, so text order is time order).
The table is the store's (``store/migrations/*/0002_reminder_deliveries.sql``): in PostgreSQL when
``DATABASE_URL`` is set, so the schedulers of several replicas send each reminder once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict

from store.backend import Backend
from strategy_data.clock import JST

Status = Literal["claimed", "sent", "failed", "skipped", "obsolete"]
FINISHED: tuple[Status, ...] = ("sent", "failed", "skipped", "obsolete")


def iso(t: dt.datetime) -> str:
    return t.astimezone(JST).isoformat(timespec="seconds")


def parse_iso(text: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(text)
    return (t.replace(tzinfo=JST) if t.tzinfo is None else t).astimezone(JST)


class DeliveryKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    meeting_key: str
    starts_at: dt.datetime
    kind: str  # offset key ("7d"), "moved" or "cancelled"
    recipient: str  # "slack:<channel>" or "line:<user hash>"


class Delivery(BaseModel):
    """One row of ``reminder_deliveries``."""

    model_config = ConfigDict(frozen=True)

    id: int
    meeting_key: str
    starts_at: dt.datetime
    kind: str
    recipient: str
    due_at: dt.datetime
    status: Status
    late: bool
    attempts: int
    retry_key: str
    claimed_by: str | None
    claimed_at: dt.datetime | None
    lease_until: dt.datetime | None
    finished_at: dt.datetime | None
    detail: str | None

    @classmethod
    def from_row(cls, row: dict) -> Delivery:
        def t(v: str | None) -> dt.datetime | None:
            return parse_iso(v) if v else None

        return cls(
            id=row["id"],
            meeting_key=row["meeting_key"],
            starts_at=parse_iso(row["starts_at"]),
            kind=row["kind"],
            recipient=row["recipient"],
            due_at=parse_iso(row["due_at"]),
            status=row["status"],
            late=bool(row["late"]),
            attempts=row["attempts"],
            retry_key=row["retry_key"],
            claimed_by=row["claimed_by"],
            claimed_at=t(row["claimed_at"]),
            lease_until=t(row["lease_until"]),
            finished_at=t(row["finished_at"]),
            detail=row["detail"],
        )


def claim(
    db: Backend,
    key: DeliveryKey,
    *,
    due_at: dt.datetime,
    late: bool,
    run_id: str,
    now: dt.datetime,
    lease: dt.timedelta,
) -> Delivery | None:
    """Claim a delivery nobody has claimed yet; None if a row for ``key`` already exists."""
    with db.transaction() as tx:
        row = tx.one(
            "INSERT INTO reminder_deliveries"
            " (meeting_key, starts_at, kind, recipient, due_at, status, late, attempts, retry_key,"
            "  claimed_by, claimed_at, lease_until)"
            " VALUES (?, ?, ?, ?, ?, 'claimed', ?, 0, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING *",
            [
                key.meeting_key,
                iso(key.starts_at),
                key.kind,
                key.recipient,
                iso(due_at),
                int(late),
                str(uuid.uuid4()),
                run_id,
                iso(now),
                iso(now + lease),
            ],
        )
    return Delivery.from_row(row) if row is not None else None


def record_skip(db: Backend, key: DeliveryKey, *, due_at: dt.datetime, now: dt.datetime, reason: str) -> bool:
    """Record that a delivery will never be sent (e.g. the meeting already started); False if known."""
    with db.transaction() as tx:
        row = tx.one(
            "INSERT INTO reminder_deliveries"
            " (meeting_key, starts_at, kind, recipient, due_at, status, late, attempts, retry_key,"
            "  finished_at, detail)"
            " VALUES (?, ?, ?, ?, ?, 'skipped', 0, 0, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            [
                key.meeting_key,
                iso(key.starts_at),
                key.kind,
                key.recipient,
                iso(due_at),
                "-",
                iso(now),
                reason,
            ],
        )
    return row is not None


def stale_claims(db: Backend, now: dt.datetime) -> list[Delivery]:
    with db.transaction() as tx:
        rows = tx.execute(
            "SELECT * FROM reminder_deliveries WHERE status = 'claimed' AND lease_until < ? ORDER BY id",
            [iso(now)],
        )
    return [Delivery.from_row(r) for r in rows]


def take_over(
    db: Backend, stale: Delivery, *, run_id: str, now: dt.datetime, lease: dt.timedelta
) -> Delivery | None:
    """Take over a claim whose lease ran out; None if another scheduler took it (or it finished) first."""
    with db.transaction() as tx:
        row = tx.one(
            "UPDATE reminder_deliveries SET claimed_by = ?, claimed_at = ?, lease_until = ?"
            " WHERE id = ? AND status = 'claimed' AND claimed_by = ? AND lease_until = ? RETURNING *",
            [
                run_id,
                iso(now),
                iso(now + lease),
                stale.id,
                stale.claimed_by or "",
                iso(stale.lease_until or now),
            ],
        )
    return Delivery.from_row(row) if row is not None else None


def record_attempt(db: Backend, delivery_id: int, *, attempts: int, detail: str | None) -> None:
    with db.transaction() as tx:
        tx.execute(
            "UPDATE reminder_deliveries SET attempts = ?, detail = ? WHERE id = ? AND status = 'claimed'",
            [attempts, detail, delivery_id],
        )


def finish(
    db: Backend,
    delivery_id: int,
    status: Status,
    *,
    now: dt.datetime,
    run_id: str,
    attempts: int | None = None,
    detail: str | None = None,
) -> bool:
    """Close a claim this run holds; False if the claim was lost (it is then someone else's)."""
    if status == "claimed":
        raise ValueError("finish() needs a final status")
    with db.transaction() as tx:
        row = tx.one(
            "UPDATE reminder_deliveries SET status = ?, finished_at = ?, detail = ?,"
            " attempts = COALESCE(?, attempts), lease_until = NULL"
            " WHERE id = ? AND status = 'claimed' AND claimed_by = ? RETURNING id",
            [status, iso(now), detail, attempts, delivery_id, run_id],
        )
    return row is not None


def get(db: Backend, delivery_id: int) -> Delivery:
    with db.transaction() as tx:
        row = tx.one("SELECT * FROM reminder_deliveries WHERE id = ?", [delivery_id])
    assert row is not None
    return Delivery.from_row(row)


def for_meetings(db: Backend, meeting_keys: list[str]) -> list[Delivery]:
    """Every delivery row of these meetings (all starts, all statuses)."""
    if not meeting_keys:
        return []
    marks = ",".join("?" for _ in meeting_keys)
    with db.transaction() as tx:
        rows = tx.execute(
            f"SELECT * FROM reminder_deliveries WHERE meeting_key IN ({marks}) ORDER BY id", meeting_keys
        )
    return [Delivery.from_row(r) for r in rows]
