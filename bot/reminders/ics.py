"""The committee's meetings as an iCalendar feed (RFC 5545) for staff calendars.

One VEVENT per meeting, its UID derived from the stable meeting key, times in Asia/Tokyo (with a
VTIMEZONE), a meeting without a start time as an all-day event, cancelled staff meetings with
``STATUS:CANCELLED`` so subscribed calendars drop them. Lines end in CRLF and are folded at 75 octets
without splitting a UTF-8 character; text values are escaped.
"""

from __future__ import annotations

import datetime as dt

from strategy_data.clock import JST
from strategy_data.meetings import MeetingInfo

PRODID = "-//Kumamoto City//strategy-bot//JA"
UID_DOMAIN = "strategy-bot.kumamoto.invalid"
CALENDAR_NAME = "熊本市しごと・ひと・まち創生総合戦略 検証委員会"
DEFAULT_DURATION = "PT2H"  # the strategy gives no end times
MAX_OCTETS = 75

_VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Tokyo",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "TZNAME:JST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    data = line.encode("utf-8")
    if len(data) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1  # the leading space counts
        current += ch
        size += n
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def uid_for(meeting: MeetingInfo) -> str:
    return f"{meeting.key.replace(':', '-')}@{UID_DOMAIN}"


def _description(m: MeetingInfo) -> str:
    lines = []
    if m.agenda:
        lines.append("議題:")
        lines.extend(f"・{a}" for a in m.agenda)
    if m.tentative:
        lines.append("（日時は予定）")
    if m.start_time is None:
        lines.append("（開始時刻は未定）")
    if m.source:
        lines.append(f"出典: {m.source}")
    return "\n".join(lines)


def _event(m: MeetingInfo, stamp: dt.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid_for(m)}", f"DTSTAMP:{_utc(stamp)}"]
    if m.start_time is None:
        lines.append(f"DTSTART;VALUE=DATE:{m.date.strftime('%Y%m%d')}")
        lines.append(f"DTEND;VALUE=DATE:{(m.date + dt.timedelta(days=1)).strftime('%Y%m%d')}")
    else:
        lines.append(f"DTSTART;TZID=Asia/Tokyo:{m.starts_at.strftime('%Y%m%dT%H%M%S')}")
        lines.append(f"DURATION:{DEFAULT_DURATION}")
    lines.append(f"SUMMARY:{escape_text(m.title)}")
    lines.append(f"LOCATION:{escape_text(m.place)}")
    if description := _description(m):
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    status = "CANCELLED" if m.status == "cancelled" else ("TENTATIVE" if m.tentative else "CONFIRMED")
    lines.append(f"STATUS:{status}")
    if m.updated_at:
        modified = dt.datetime.fromisoformat(m.updated_at)
        modified = modified.replace(tzinfo=JST) if modified.tzinfo is None else modified
        lines.append(f"LAST-MODIFIED:{_utc(modified)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: list[MeetingInfo], *, now: dt.datetime) -> str:
    """The whole VCALENDAR as text (CRLF line ends, folded)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(CALENDAR_NAME)}",
        "X-WR-TIMEZONE:Asia/Tokyo",
        *_VTIMEZONE,
    ]
    for m in meetings:
        lines.extend(_event(m, now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
