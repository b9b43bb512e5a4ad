"""Due-reminder computation: offsets × meetings × recipients in Asia/Tokyo, the late-send rule, moves."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.reminders.offsets import OffsetError, parse_offset, parse_offsets
from bot.reminders.plan import due_at_for, plan
from bot.reminders.recipients import Recipient
from bot.reminders.store import Delivery
from strategy_data.clock import JST
from strategy_data.meetings import MeetingInfo

OFFSETS = parse_offsets(["7d", "1d", "2h"])
SLACK = Recipient(key="slack:C1", channel="slack", address="C1")


def jst(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=JST)


START = jst(2024, 5, 10, 14, 0)


def meeting(start: dt.datetime | None = START, **kw) -> MeetingInfo:
    values = dict(
        key="staff:1",
        origin="staff",
        staff_id=1,
        number=6,
        date=(start or jst(2024, 5, 10)).date(),
        start_time=start.time().replace(tzinfo=None) if start else None,
        place="市役所",
        agenda=["議題"],
        updated_at="2024-04-01T10:00:00+09:00",
    )
    values.update(kw)
    return MeetingInfo(**values)


def sent(m: MeetingInfo, kind: str, recipient: str = "slack:C1", status: str = "sent") -> Delivery:
    return Delivery(
        id=1,
        meeting_key=m.key,
        starts_at=m.starts_at,
        kind=kind,
        recipient=recipient,
        due_at=m.starts_at,
        status=status,
        late=False,
        attempts=1,
        retry_key="k",
        claimed_by="r",
        claimed_at=None,
        lease_until=None,
        finished_at=jst(2024, 5, 3, 14, 0),
        detail=None,
    )


@pytest.mark.parametrize(
    ("text", "key", "delta", "label"),
    [
        ("7d", "7d", dt.timedelta(days=7), "1週間前"),
        (" 1D ", "1d", dt.timedelta(days=1), "前日"),
        ("3d", "3d", dt.timedelta(days=3), "3日前"),
        ("2h", "2h", dt.timedelta(hours=2), "2時間前"),
        ("30m", "30m", dt.timedelta(minutes=30), "30分前"),
    ],
)
def test_parse_offset(text: str, key: str, delta: dt.timedelta, label: str) -> None:
    o = parse_offset(text)
    assert (o.key, o.delta, o.label_ja) == (key, delta, label)


@pytest.mark.parametrize("bad", ["", "7", "0d", "2w", "-1d", "1.5h", "d7"])
def test_bad_offsets_are_refused(bad: str) -> None:
    with pytest.raises(OffsetError):
        parse_offset(bad)


def test_offsets_are_distinct_and_longest_first() -> None:
    assert [o.key for o in parse_offsets(["2h", "7d", "1d", "24h"])] == ["7d", "1d", "2h"]


def test_due_times_are_in_tokyo() -> None:
    m = meeting()
    assert [due_at_for(m, o) for o in OFFSETS] == [
        jst(2024, 5, 3, 14),
        jst(2024, 5, 9, 14),
        jst(2024, 5, 10, 12),
    ]
    assert due_at_for(m, OFFSETS[2]).utcoffset() == dt.timedelta(hours=9)


def test_meeting_without_start_time_gets_day_reminders_at_nine() -> None:
    m = meeting(None)
    assert due_at_for(m, OFFSETS[0]) == jst(2024, 5, 3, 9, 0)
    assert due_at_for(m, OFFSETS[1]) == jst(2024, 5, 9, 9, 0)
    assert due_at_for(m, OFFSETS[2]) is None  # "2 hours before" an unknown time means nothing


def test_nothing_is_due_before_the_first_offset() -> None:
    assert plan([meeting()], [SLACK], OFFSETS, [], jst(2024, 5, 3, 13, 59)) == []


def test_on_time_reminder() -> None:
    [p] = plan([meeting()], [SLACK], OFFSETS, [], jst(2024, 5, 3, 14, 0, 30))
    assert (p.kind, p.action, p.late) == ("7d", "send", False)


def test_only_the_latest_due_offset_and_late_after_downtime() -> None:
    # down from before the 7-day mark until after the 1-day mark: one late 1-day reminder, not two
    [p] = plan([meeting()], [SLACK], OFFSETS, [], jst(2024, 5, 9, 17, 0))
    assert (p.kind, p.action, p.late) == ("1d", "send", True)


def test_recorded_delivery_is_not_planned_again() -> None:
    m = meeting()
    assert plan([m], [SLACK], OFFSETS, [sent(m, "7d")], jst(2024, 5, 4)) == []
    for status in ("failed", "claimed", "skipped", "obsolete"):
        assert plan([m], [SLACK], OFFSETS, [sent(m, "7d", status=status)], jst(2024, 5, 4)) == []


def test_missed_reminder_after_the_start_is_skipped() -> None:
    [p] = plan([meeting()], [SLACK], OFFSETS, [], jst(2024, 5, 10, 14, 30))
    assert (p.kind, p.action) == ("2h", "skip")
    assert "started" in (p.reason or "")
    # long-past meetings are not looked at at all
    assert plan([meeting()], [SLACK], OFFSETS, [], jst(2024, 5, 12)) == []


def test_reminders_due_before_subscribing_are_not_sent() -> None:
    r = Recipient(key="line:u_1", channel="line", address="u_1", since=jst(2024, 5, 5))
    assert plan([meeting()], [r], OFFSETS, [], jst(2024, 5, 6)) == []
    [p] = plan([meeting()], [r], OFFSETS, [], jst(2024, 5, 9, 14, 1))
    assert (p.kind, p.late) == ("1d", False)


def test_meeting_added_late_gets_no_late_reminder_for_earlier_offsets() -> None:
    m = meeting(updated_at="2024-05-07T10:00:00+09:00")  # added three days ahead
    assert plan([m], [SLACK], OFFSETS, [], jst(2024, 5, 7, 12)) == []
    [p] = plan([m], [SLACK], OFFSETS, [], jst(2024, 5, 9, 14))
    assert p.kind == "1d"


def test_moved_meeting_gets_new_keys_and_a_notice() -> None:
    old = meeting()
    moved = meeting(jst(2024, 5, 17, 10, 0), updated_at="2024-05-05T09:00:00+09:00")
    planned = plan([moved], [SLACK], OFFSETS, [sent(old, "7d")], jst(2024, 5, 5, 9, 1))
    assert [(p.kind, p.previous_starts_at) for p in planned] == [("moved", old.starts_at)]
    # the old 1-day time passes without a reminder; the new one is due a week later
    notice = sent(moved, "moved")
    assert plan([moved], [SLACK], OFFSETS, [sent(old, "7d"), notice], jst(2024, 5, 9, 14, 5)) == []
    [p] = plan([moved], [SLACK], OFFSETS, [sent(old, "7d"), notice], jst(2024, 5, 16, 10, 1))
    assert (p.kind, p.key.starts_at) == ("1d", moved.starts_at)


def test_cancelled_meeting_notifies_only_those_reminded() -> None:
    m = meeting(status="cancelled", updated_at="2024-05-05T09:00:00+09:00")
    line = Recipient(key="line:u_1", channel="line", address="u_1")
    planned = plan([m], [SLACK, line], OFFSETS, [sent(m, "7d")], jst(2024, 5, 9, 14, 1))
    assert [(p.kind, p.recipient.key) for p in planned] == [("cancelled", "slack:C1")]
    assert plan([m], [SLACK], OFFSETS, [sent(m, "7d"), sent(m, "cancelled")], jst(2024, 5, 9, 15)) == []
