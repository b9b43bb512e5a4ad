"""Which reminders are due at a given moment: meetings × offsets × recipients, minus what is recorded.

Pure: it reads no clock and no database. The rules:

- A reminder is due at the meeting's start minus the offset, in Asia/Tokyo. A meeting without a
  known start time gets its day offsets at 09:00 of that day and no hour offsets.
- Moving a meeting gives it new delivery keys (they include the start), so the old reminders are
  obsolete and the new ones become due; those who had already been reminded get a short notice of
  the change. A cancelled meeting gets no more reminders, and those who had been reminded get a
  notice that it is cancelled.
- Per meeting and recipient only the latest due offset is considered: after downtime the 1-day
  reminder goes out, not the 7-day one as well.
- A reminder that fell due before the recipient subscribed, or before the meeting was scheduled or
  moved, is not theirs (no "late" reminder for a meeting added three days ahead: its 1-day reminder
  comes in time).
- Late-send rule: a reminder more than ``grace`` past its time is sent late, saying so, only if the
  meeting has not started; otherwise it is recorded as skipped (and logged).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.reminders.offsets import Offset
from bot.reminders.recipients import Recipient
from bot.reminders.store import Delivery, DeliveryKey, parse_iso
from strategy_data.clock import JST
from strategy_data.meetings import MeetingInfo

DEFAULT_GRACE = dt.timedelta(minutes=10)  # a reminder sent within this of its time is on time
DEFAULT_LOOKBACK = dt.timedelta(days=1)  # meetings that started longer ago are no longer looked at
DATE_ONLY_HOUR = dt.time(9, 0)  # day reminders of a meeting without a start time go out at 9:00


class Planned(BaseModel):
    """One delivery to make (``send``) or to record as skipped (``skip``)."""

    model_config = ConfigDict(frozen=True)

    key: DeliveryKey
    meeting: MeetingInfo
    recipient: Recipient
    due_at: dt.datetime
    action: Literal["send", "skip"]
    late: bool = False
    reason: str | None = None
    previous_starts_at: dt.datetime | None = None  # for a "moved" notice

    @property
    def kind(self) -> str:
        return self.key.kind


def due_at_for(meeting: MeetingInfo, offset: Offset) -> dt.datetime | None:
    """When the ``offset`` reminder of ``meeting`` is due (None if it does not apply)."""
    if meeting.start_time is None:
        if offset.within_day:
            return None
        day = meeting.date - dt.timedelta(days=offset.delta.days)
        return dt.datetime.combine(day, DATE_ONLY_HOUR, tzinfo=JST)
    return meeting.starts_at - offset.delta


def meeting_since(meeting: MeetingInfo) -> dt.datetime | None:
    """Since when the meeting has been scheduled at its current time (staff meetings only)."""
    if meeting.origin == "staff" and meeting.updated_at:
        return parse_iso(meeting.updated_at)
    return None


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def plan(
    meetings: list[MeetingInfo],
    recipients: list[Recipient],
    offsets: list[Offset],
    deliveries: list[Delivery],
    now: dt.datetime,
    *,
    grace: dt.timedelta = DEFAULT_GRACE,
    lookback: dt.timedelta = DEFAULT_LOOKBACK,
) -> list[Planned]:
    now = now.astimezone(JST)
    by_meeting: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
    for d in deliveries:
        by_meeting[(d.meeting_key, d.recipient)].append(d)
    out: list[Planned] = []
    for m in meetings:
        if m.starts_at <= now - lookback:
            continue
        for r in recipients:
            rows = by_meeting[(m.key, r.key)]
            if m.status == "cancelled":
                out.extend(_cancel_notice(m, r, rows, now))
                continue
            if m.starts_at > now:
                out.extend(_move_notice(m, r, rows, now))
            out.extend(_offset_reminder(m, r, rows, offsets, now, grace))
    order = {"slack": 0, "line": 1}
    return sorted(
        out, key=lambda p: (p.due_at, p.meeting.starts_at, p.meeting.key, order[p.recipient.channel])
    )


def _cancel_notice(m: MeetingInfo, r: Recipient, rows: list[Delivery], now: dt.datetime) -> list[Planned]:
    if m.starts_at <= now or not any(d.status == "sent" for d in rows):
        return []
    if any(d.kind == "cancelled" for d in rows):
        return []
    key = DeliveryKey(meeting_key=m.key, starts_at=m.starts_at, kind="cancelled", recipient=r.key)
    return [Planned(key=key, meeting=m, recipient=r, due_at=meeting_since(m) or now, action="send")]


def _move_notice(m: MeetingInfo, r: Recipient, rows: list[Delivery], now: dt.datetime) -> list[Planned]:
    sent = [d for d in rows if d.status == "sent" and d.kind != "cancelled"]
    if not sent:
        return []
    last = max(sent, key=lambda d: (d.finished_at or d.due_at, d.id))
    if last.starts_at == m.starts_at:
        return []
    if any(d.kind == "moved" and d.starts_at == m.starts_at for d in rows):
        return []
    key = DeliveryKey(meeting_key=m.key, starts_at=m.starts_at, kind="moved", recipient=r.key)
    return [
        Planned(
            key=key,
            meeting=m,
            recipient=r,
            due_at=meeting_since(m) or now,
            action="send",
            previous_starts_at=last.starts_at,
        )
    ]


def _offset_reminder(
    m: MeetingInfo,
    r: Recipient,
    rows: list[Delivery],
    offsets: list[Offset],
    now: dt.datetime,
    grace: dt.timedelta,
) -> list[Planned]:
    since = _later(meeting_since(m), r.since)
    candidates: list[tuple[dt.datetime, Offset]] = []
    for o in offsets:
        due = due_at_for(m, o)
        if due is None or due > now or due >= m.starts_at:
            continue
        if since is not None and due < since:
            continue  # fell due before this recipient subscribed or before the meeting was (re)scheduled
        candidates.append((due, o))
    if not candidates:
        return []
    due, offset = max(candidates, key=lambda c: c[0])
    if any(d.kind == offset.key and d.starts_at == m.starts_at for d in rows):
        return []
    key = DeliveryKey(meeting_key=m.key, starts_at=m.starts_at, kind=offset.key, recipient=r.key)
    if m.starts_at <= now:
        return [
            Planned(
                key=key,
                meeting=m,
                recipient=r,
                due_at=due,
                action="skip",
                reason="missed: the meeting had already started",
            )
        ]
    return [Planned(key=key, meeting=m, recipient=r, due_at=due, action="send", late=now - due > grace)]
