"""iCalendar export: a strict RFC 5545 reading of what ``meetings ics`` produces."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import main
from bot.reminders.ics import calendar, escape_text, fold
from strategy_data.clock import JST
from strategy_data.database import connect
from strategy_data.meetings import NewMeeting, add_meeting, cancel_meeting, list_meetings

NOW = dt.datetime(2030, 4, 1, 9, 0, tzinfo=JST)
NAME = re.compile(r"^[A-Z][A-Z0-9-]*$")


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            nxt = value[i + 1]
            assert nxt in "\\;,nN", f"bad escape \\{nxt}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            assert ch not in ";,", "unescaped ; or , in a TEXT value"
            out.append(ch)
            i += 1
    return "".join(out)


def parse(text: str) -> list[dict]:
    """Check the physical format, unfold, split properties, check nesting; return the components."""
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[dict] = []
    done: list[dict] = []
    for line in logical:
        head, sep, value = line.partition(":")
        assert sep, line
        name, *params = head.split(";")
        assert NAME.match(name), name
        for p in params:
            assert re.match(r"^[A-Z-]+=[^;:,\"]+$", p), p
        if name == "BEGIN":
            stack.append({"type": value, "props": {}, "params": {}})
        elif name == "END":
            comp = stack.pop()
            assert comp["type"] == value
            done.append(comp)
        else:
            comp = stack[-1]
            assert name not in comp["props"], f"duplicate {name}"
            comp["props"][name] = value
            comp["params"][name] = dict(p.split("=", 1) for p in params)
    assert stack == []
    return done


@pytest.fixture
def meetings_db(built_db_path: Path):
    db = connect(built_db_path)
    add_meeting(
        db,
        NewMeeting(
            starts_at=dt.datetime(2030, 5, 10, 14, 0),
            place="市役所本館4階, 第1会議室; 東側",
            agenda=["KPIの進捗について（報告）", "次期戦略の方向性\\案", "x" * 120],
        ),
        by="t",
        now=NOW,
    )
    gone = add_meeting(
        db, NewMeeting(starts_at=dt.datetime(2030, 6, 1, 10, 0), place="中央区役所"), by="t", now=NOW
    )
    cancel_meeting(db, int(gone.staff_id or 0), by="t", now=NOW)
    yield db
    db.close()


def test_calendar_is_valid_and_complete(meetings_db) -> None:
    meetings = list_meetings(meetings_db, include_cancelled=True)
    comps = parse(calendar(meetings, now=NOW))
    [cal] = [c for c in comps if c["type"] == "VCALENDAR"]
    assert cal["props"]["VERSION"] == "2.0" and cal["props"]["PRODID"]
    [tz] = [c for c in comps if c["type"] == "VTIMEZONE"]
    assert tz["props"]["TZID"] == "Asia/Tokyo"
    events = [c for c in comps if c["type"] == "VEVENT"]
    assert len(events) == len(meetings) == 6  # 第2回〜第5回 from the data, two staff meetings
    uids = [e["props"]["UID"] for e in events]
    assert len(set(uids)) == len(uids)
    for e in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "STATUS"):
            assert required in e["props"]
        assert re.fullmatch(r"\d{8}T\d{6}Z", e["props"]["DTSTAMP"])
    by_uid = {e["props"]["UID"]: e for e in events}
    staff = by_uid["staff-1@strategy-bot.kumamoto.invalid"]
    assert staff["props"]["DTSTART"] == "20300510T140000"
    assert staff["params"]["DTSTART"] == {"TZID": "Asia/Tokyo"}
    assert unescape(staff["props"]["SUMMARY"]) == "第6回検証委員会"
    assert unescape(staff["props"]["LOCATION"]) == "市役所本館4階, 第1会議室; 東側"
    assert staff["props"]["LOCATION"] == "市役所本館4階\\, 第1会議室\\; 東側"
    description = unescape(staff["props"]["DESCRIPTION"])
    assert description.startswith(
        "議題:\n・KPIの進捗について（報告）\n・次期戦略の方向性\\案\n・" + "x" * 120
    )
    assert staff["props"]["STATUS"] == "CONFIRMED"
    assert by_uid["staff-2@strategy-bot.kumamoto.invalid"]["props"]["STATUS"] == "CANCELLED"
    # curated: 第4回 is tentative, 第5回 has no start time (an all-day event)
    fourth = by_uid["data-meeting-4@strategy-bot.kumamoto.invalid"]
    assert fourth["props"]["STATUS"] == "TENTATIVE"
    fifth = by_uid["data-meeting-5@strategy-bot.kumamoto.invalid"]
    assert fifth["params"]["DTSTART"] == {"VALUE": "DATE"} and fifth["props"]["DTSTART"] == "20200214"
    assert fifth["props"]["DTEND"] == "20200215"


def test_uids_are_stable_across_exports(meetings_db) -> None:
    meetings = list_meetings(meetings_db, include_cancelled=True)
    first = calendar(meetings, now=NOW)
    second = calendar(meetings, now=NOW + dt.timedelta(days=1))
    assert re.findall(r"UID:.*", first) == re.findall(r"UID:.*", second)


@given(st.text(min_size=0, max_size=300))
def test_fold_keeps_text_and_octet_limit(text: str) -> None:
    line = "DESCRIPTION:" + escape_text(text)
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode("utf-8")) <= (75 if i == 0 else 74) for i, p in enumerate(parts))
    assert unescape(line.partition(":")[2]) == text.replace("\r\n", "\n").replace("\r", "\n")


def test_cli_export_matches_the_library(meetings_db, built_db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "meetings.ics"
    result = CliRunner().invoke(main, ["meetings", "ics", "--db", str(built_db_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    comps = parse(out.read_bytes().decode("utf-8"))
    assert sum(c["type"] == "VEVENT" for c in comps) == 6
    result = CliRunner().invoke(main, ["meetings", "ics", "--db", str(built_db_path)])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
