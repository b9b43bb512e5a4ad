"""Reminder content and its two renderings: Block Kit within Slack's limits, Flex within LINE's."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.line import flex, limits
from bot.reminders import render as RR
from handlers.reminder_text import build_reminder, kpi_briefing, lead_sentence
from handlers.reply import KpiFacts
from strategy_data.clock import JST
from strategy_data.meetings import MeetingInfo


def jst(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=JST)


def meeting(agenda: list[str] | None = None, **kw) -> MeetingInfo:
    values = dict(
        key="staff:1",
        origin="staff",
        staff_id=1,
        number=6,
        date=dt.date(2030, 5, 10),
        start_time=dt.time(14, 0),
        place="市役所本館4階 <第1会議室> & 別館",
        agenda=agenda if agenda is not None else ["KPIの進捗について", "次期戦略の方向性"],
    )
    values.update(kw)
    return MeetingInfo(**values)


def kpi(i: int, status: str, progress: float | None = None) -> KpiFacts:
    return KpiFacts(
        id=f"kpi-{i}",
        name=f"指標{i}の長い正式名称",
        short_name=f"指標{i}",
        unit="人",
        goal_id="goal-1",
        baseline_value=100,
        baseline_year=2018,
        baseline_label="2018年度",
        target_value=200,
        target_year=2023,
        target_label="2023年度",
        comparator="at_least",
        direction="up",
        progress=progress,
        status=status,
        source="基本目標1",
    )


KPIS = [
    kpi(1, "達成", 1.2),
    kpi(2, "順調", 0.8),
    kpi(3, "遅れ", 0.4),
    kpi(4, "遅れ", 0.1),
    kpi(5, "基準値のみ"),
]


def test_briefing_counts_and_most_behind_first() -> None:
    b = kpi_briefing(KPIS)
    assert (b.achieved, b.on_track, b.behind, b.baseline_only, b.total) == (1, 1, 2, 1, 5)
    assert b.behind_names == ["指標4", "指標3"]
    assert b.counts_text() == "達成 1件・順調 1件・遅れ 2件（実績未登録 1件）"
    many = kpi_briefing([kpi(i, "遅れ", i / 100) for i in range(15)])
    assert many.behind_text().endswith("指標9 ほか5件")


@pytest.mark.parametrize(
    ("now", "lead"),
    [
        (jst(2030, 5, 3, 14), "第6回検証委員会は7日後に開催されます。"),
        (jst(2030, 5, 8, 14), "第6回検証委員会はあさって開催されます。"),
        (jst(2030, 5, 9, 14), "第6回検証委員会は明日開催されます。"),
        (jst(2030, 5, 10, 12), "第6回検証委員会は本日 14:00 から開催されます（あと約2時間）。"),
        (jst(2030, 5, 10, 13, 30), "第6回検証委員会は本日 14:00 から開催されます（あと約30分）。"),
        (
            dt.datetime(2030, 5, 9, 16, 0, tzinfo=dt.UTC),
            "第6回検証委員会は本日 14:00 から開催されます（あと約13時間）。",
        ),
    ],
)
def test_lead_sentence_counts_from_now_in_tokyo(now: dt.datetime, lead: str) -> None:
    assert lead_sentence(meeting(), now) == lead


def test_a_meeting_just_after_midnight_is_counted_in_hours() -> None:
    soon = meeting(start_time=dt.time(0, 30))
    lead = lead_sentence(soon, jst(2030, 5, 9, 22, 30))
    assert lead == "第6回検証委員会は明日 0:30 から開催されます（あと約2時間）。"


def test_plain_text() -> None:
    c = build_reminder(meeting(), now=jst(2030, 5, 9, 14), kpis=KPIS, member_name="荒川 浩二")
    assert c.plain_text().splitlines() == [
        "【第6回検証委員会 開催のお知らせ】",
        "荒川 浩二 様",
        "第6回検証委員会は明日開催されます。",
        "日時: 2030年5月10日（金） 14:00〜",
        "場所: 市役所本館4階 <第1会議室> & 別館",
        "議題:",
        "・KPIの進捗について",
        "・次期戦略の方向性",
        "KPIの状況（全5件）: 達成 1件・順調 1件・遅れ 2件（実績未登録 1件）",
        "遅れている指標: 指標4、指標3",
    ]


def test_cancelled_notice_has_no_agenda_or_briefing() -> None:
    c = build_reminder(meeting(status="cancelled"), now=jst(2030, 5, 6), kind="cancelled", kpis=KPIS)
    text = c.plain_text()
    assert "中止になりました" in text and "議題" not in text and "KPI" not in text


def assert_slack_limits(blocks: list[dict]) -> None:
    assert 1 <= len(blocks) <= 50
    for b in blocks:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150 and b["text"]["type"] == "plain_text"
        if b["type"] == "section":
            assert "text" in b or "fields" in b
            if "text" in b:
                assert 1 <= len(b["text"]["text"]) <= 3000
            assert len(b.get("fields", [])) <= 10
            assert all(len(f["text"]) <= 2000 for f in b.get("fields", []))
        if b["type"] == "context":
            assert 1 <= len(b["elements"]) <= 10


@pytest.mark.parametrize("agenda", [[], ["短い議題"], [f"議題{i}" + "あ" * 190 for i in range(20)]])
@pytest.mark.parametrize("kind", ["reminder", "moved", "cancelled"])
def test_renderings_stay_within_limits(agenda: list[str], kind: str) -> None:
    kpis = [kpi(i, "遅れ", i / 100) for i in range(40)] + KPIS
    c = build_reminder(
        meeting(agenda),
        now=jst(2030, 5, 9, 17),
        kind=kind,
        kpis=kpis,
        due_at=jst(2030, 5, 9, 14),
        late=True,
        previous_starts_at=jst(2030, 5, 3, 10) if kind == "moved" else None,
        member_name="小林 寛子",
    )
    blocks = RR.slack_blocks(c)
    assert_slack_limits(blocks)
    assert len(RR.slack_text(c)) <= 4000
    messages = RR.line_messages(c)
    assert limits.check_messages(messages) == []
    assert messages[0]["type"] == "flex"
    assert len(json.dumps(messages[0]["contents"], ensure_ascii=False).encode()) < 10_000


def test_slack_escapes_and_marks_late() -> None:
    c = build_reminder(meeting(), now=jst(2030, 5, 9, 17), kpis=KPIS, due_at=jst(2030, 5, 9, 14), late=True)
    blocks = RR.slack_blocks(c)
    dump = json.dumps(blocks, ensure_ascii=False)
    assert "&lt;第1会議室&gt; &amp; 別館" in dump and "<第1会議室>" not in dump
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "第6回検証委員会 開催のお知らせ"},
    }
    assert blocks[2]["type"] == "context" and "遅れてお送りしています" in blocks[2]["elements"][0]["text"]
    assert "遅れ *2*" in dump and "遅れている指標: 指標4、指標3" in dump


def walk_texts(node):
    if isinstance(node, dict):
        if node.get("type") == "text":
            yield (node["text"], node.get("color"))
        for v in node.values():
            yield from walk_texts(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk_texts(v)


def test_flex_bubble_shows_counts_in_status_colours() -> None:
    c = build_reminder(meeting(), now=jst(2030, 5, 3, 14), kpis=KPIS)
    [message] = RR.line_messages(c)
    assert message["altText"].startswith("【第6回検証委員会 開催のお知らせ】")
    dump = json.dumps(message["contents"], ensure_ascii=False)
    texts = list(walk_texts(message["contents"]))
    for status, n in (("達成", 1), ("順調", 1), ("遅れ", 2)):
        assert (str(n), flex.STATUS_COLORS[status]) in texts
    assert "「リマインド解除」" in dump
