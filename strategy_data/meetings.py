"""Committee meetings: those in the strategy document and those staff schedule later.

Curated meetings (table ``meetings``) are rebuilt from committee.yaml; staff meetings (table
``staff_meetings``) are rows of the store (``strategy_data.state``: PostgreSQL with ``DATABASE_URL``,
shared by every replica, else the SQLite file) that no rebuild touches. Both are read through
:func:`list_meetings` as :class:`MeetingInfo`, with times in Asia/Tokyo.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import sqlite_utils
from pydantic import BaseModel, ConfigDict, Field, field_validator

from store.backend import Tx
from strategy_data.clock import JST
from strategy_data.state import state_of

WEEKDAYS_JA = "月火水木金土日"


class MeetingInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # "data:<id>" or "staff:<n>": stable across rebuilds
    origin: Literal["data", "staff"]
    staff_id: int | None = None
    number: int | None = None  # 第N回
    date: dt.date
    start_time: dt.time | None = None
    tentative: bool = False
    place: str
    agenda: list[str]
    status: Literal["scheduled", "cancelled"] = "scheduled"
    correction: str | None = None
    source: str | None = None
    updated_at: str | None = None

    @property
    def starts_at(self) -> dt.datetime:
        """Start in Asia/Tokyo; midnight when the time is unknown."""
        return dt.datetime.combine(self.date, self.start_time or dt.time(0, 0), tzinfo=JST)

    @property
    def title(self) -> str:
        return f"第{self.number}回検証委員会" if self.number else "検証委員会"

    def when_ja(self) -> str:
        d = self.date
        text = f"{d.year}年{d.month}月{d.day}日（{WEEKDAYS_JA[d.weekday()]}）"
        if self.start_time:
            text += f" {self.start_time.hour}:{self.start_time.minute:02d}〜"
        if self.tentative:
            text += "（予定）"
        return text


class NewMeeting(BaseModel):
    """A meeting staff schedule (Slack ``/meeting add``, ``strategy-bot meetings add``)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    starts_at: dt.datetime
    place: str = Field(min_length=1, max_length=200)
    agenda: list[str] = Field(default_factory=list, max_length=20)
    number: int | None = Field(default=None, ge=1, le=999)

    @field_validator("starts_at")
    @classmethod
    def _jst(cls, v: dt.datetime) -> dt.datetime:
        return v.replace(tzinfo=JST) if v.tzinfo is None else v.astimezone(JST)

    @field_validator("agenda")
    @classmethod
    def _agenda(cls, v: list[str]) -> list[str]:
        items = [a.strip() for a in v if a.strip()]
        if any(len(a) > 200 for a in items):
            raise ValueError("agenda item longer than 200 characters")
        return items


class MeetingNotFound(LookupError):
    pass


def _from_curated(row: dict) -> MeetingInfo:
    return MeetingInfo(
        key=f"data:{row['id']}",
        origin="data",
        number=row["number"],
        date=dt.date.fromisoformat(row["date"]),
        start_time=dt.time.fromisoformat(row["start_time"]) if row["start_time"] else None,
        tentative=bool(row["tentative"]),
        place=row["place"],
        agenda=json.loads(row["agenda"]),
        correction=row["correction"],
        source=row["source"],
    )


def _from_staff(row: dict) -> MeetingInfo:
    starts = dt.datetime.fromisoformat(row["starts_at"]).astimezone(JST)
    return MeetingInfo(
        key=f"staff:{row['id']}",
        origin="staff",
        staff_id=row["id"],
        number=row["number"],
        date=starts.date(),
        start_time=starts.time().replace(tzinfo=None),
        place=row["place"],
        agenda=json.loads(row["agenda"]),
        status=row["status"],
        source="職員が登録した会議",
        updated_at=row["updated_at"],
    )


_STAFF_COLUMNS = "id, number, starts_at, place, agenda, status, created_by, created_at, updated_at"
LOCK = "staff_meetings"  # Tx.lock: adding meetings queues on it (the next 第N回 is read, then written)


def list_meetings(db: sqlite_utils.Database, *, include_cancelled: bool = False) -> list[MeetingInfo]:
    """All meetings, oldest first: the curated ones of this file and the staff ones of the store."""
    out: list[MeetingInfo] = []
    if "meetings" in db.table_names():
        out.extend(_from_curated(r) for r in db.query("SELECT * FROM meetings"))
    sql = f"SELECT {_STAFF_COLUMNS} FROM staff_meetings"
    with state_of(db).read() as tx:
        rows = tx.execute(sql + ("" if include_cancelled else " WHERE status = 'scheduled'"))
    out.extend(_from_staff(r) for r in rows)
    return sorted(out, key=lambda m: (m.starts_at, m.number or 0))


def _get(tx: Tx, staff_id: int) -> MeetingInfo:
    row = tx.one(f"SELECT {_STAFF_COLUMNS} FROM staff_meetings WHERE id = ?", [staff_id])
    if row is None:
        raise MeetingNotFound(staff_id)
    return _from_staff(row)


def get_meeting(db: sqlite_utils.Database, staff_id: int) -> MeetingInfo:
    with state_of(db).read() as tx:
        return _get(tx, staff_id)


def next_meeting(db: sqlite_utils.Database, now: dt.datetime) -> MeetingInfo | None:
    """The next scheduled meeting that has not started yet."""
    upcoming = [m for m in list_meetings(db) if m.starts_at > now]
    return upcoming[0] if upcoming else None


def last_meeting(db: sqlite_utils.Database, now: dt.datetime) -> MeetingInfo | None:
    past = [m for m in list_meetings(db) if m.starts_at <= now]
    return past[-1] if past else None


def _next_number(db: sqlite_utils.Database, tx: Tx) -> int:
    numbers = []
    if "meetings" in db.table_names():
        numbers = [r["number"] for r in db.query("SELECT number FROM meetings") if r["number"]]
    staff = tx.one("SELECT max(number) AS n FROM staff_meetings")
    return max([*numbers, int((staff or {}).get("n") or 0)], default=0) + 1


def add_meeting(
    db: sqlite_utils.Database, meeting: NewMeeting, *, by: str, now: dt.datetime | None = None
) -> MeetingInfo:
    stamp = (now or dt.datetime.now(JST)).isoformat(timespec="seconds")
    with state_of(db).transaction() as tx:
        tx.lock(LOCK)
        number = meeting.number or _next_number(db, tx)
        row = tx.one(
            "INSERT INTO staff_meetings"
            " (number, starts_at, place, agenda, status, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'scheduled', ?, ?, ?) RETURNING id",
            [
                number,
                meeting.starts_at.isoformat(timespec="minutes"),
                meeting.place,
                json.dumps(meeting.agenda, ensure_ascii=False),
                by,
                stamp,
                stamp,
            ],
        )
        assert row is not None
        return _get(tx, int(row["id"]))


def _update(db: sqlite_utils.Database, staff_id: int, sql: str, params: list[object]) -> MeetingInfo:
    with state_of(db).transaction() as tx:
        tx.lock(LOCK)
        _get(tx, staff_id)
        tx.execute(sql, [*params, staff_id])
        return _get(tx, staff_id)


def cancel_meeting(
    db: sqlite_utils.Database, staff_id: int, *, by: str, now: dt.datetime | None = None
) -> MeetingInfo:
    stamp = (now or dt.datetime.now(JST)).isoformat(timespec="seconds")
    return _update(
        db, staff_id, "UPDATE staff_meetings SET status = 'cancelled', updated_at = ? WHERE id = ?", [stamp]
    )


def move_meeting(
    db: sqlite_utils.Database,
    staff_id: int,
    starts_at: dt.datetime,
    *,
    by: str,
    now: dt.datetime | None = None,
) -> MeetingInfo:
    stamp = (now or dt.datetime.now(JST)).isoformat(timespec="seconds")
    start = starts_at.replace(tzinfo=JST) if starts_at.tzinfo is None else starts_at.astimezone(JST)
    return _update(
        db,
        staff_id,
        "UPDATE staff_meetings SET starts_at = ?, updated_at = ? WHERE id = ?",
        [start.isoformat(timespec="minutes"), stamp],
    )
