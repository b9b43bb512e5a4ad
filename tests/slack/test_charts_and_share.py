"""Slack: KPI answers state each figure once (in the fields), carry the chart as an image block when a
public https base is set, and a /strategy answer can be shared with the whole channel."""

from __future__ import annotations

from typing import Any

from bot.charts.links import ChartLinks
from bot.slack import render as R
from handlers.reply import Query

SlackRig = Any
LINKS = ChartLinks("https://strategy-bot.example.jp", "v7")


def _blocks_of(blocks: list[dict], kind: str) -> list[dict]:
    return [b for b in blocks if b["type"] == kind]


def test_kpi_answer_states_figures_once_and_has_the_chart(answerer) -> None:
    reply = answerer.answer(Query(text="観光消費額の目標は？", channel="test"))
    assert reply.kind == "kpi"
    blocks = R.render(reply, links=LINKS)["blocks"]
    text = blocks[0]["text"]["text"]
    fields = " ".join(f["text"] for f in blocks[1]["fields"])
    assert "735" in fields and "852" in fields
    assert "735" not in text and "852" not in text and "観光消費額" in text
    [image] = _blocks_of(blocks, "image")
    assert image["image_url"] == "https://strategy-bot.example.jp/charts/kpi/tourism-spending.png?v=v7"
    assert image["alt_text"] == "観光消費額の推移のグラフ"
    assert _blocks_of(R.render(reply)["blocks"], "image") == []  # no public base: no image


def test_lists_get_the_overview_chart(answerer) -> None:
    reply = answerer.answer(Query(text="基本目標2のKPI一覧", channel="test"))
    [image] = _blocks_of(R.render(reply, links=LINKS)["blocks"], "image")
    assert image["image_url"].endswith("/charts/overview.png?goal=2&v=v7")


def test_kpi_show_for_staff_has_the_chart(staff_db) -> None:
    import datetime as dt

    from handlers import staff_kpi

    cmd = staff_kpi.parse_kpi_command("show 観光消費額")
    reply = staff_kpi.handle_kpi_command(
        staff_db, cmd, by="slack:U1", now=dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    )
    assert reply.kind == "staff" and len(reply.kpis) == 1
    [image] = _blocks_of(R.render(reply, links=LINKS)["blocks"], "image")
    assert "/charts/kpi/tourism-spending.png" in image["image_url"]


def test_reminder_briefing_has_the_overview_chart() -> None:
    import datetime as dt

    from bot.reminders import render as RR
    from handlers.reminder_text import build_reminder
    from handlers.reply import KpiFacts
    from strategy_data.clock import JST
    from strategy_data.meetings import MeetingInfo

    meeting = MeetingInfo(
        key="staff:1",
        origin="staff",
        staff_id=1,
        number=6,
        date=dt.date(2030, 5, 10),
        start_time=dt.time(14, 0),
        place="市役所",
        agenda=["KPIの進捗について"],
    )
    kpi = KpiFacts.model_validate(
        dict(
            id="births",
            name="出生数",
            unit="人",
            goal_id="goal-2",
            baseline_value=6700,
            baseline_year=2018,
            baseline_label="H30(2018)",
            target_value=6800,
            target_year=2023,
            target_label="R5(2023)",
            comparator="point",
            direction="up",
            status="基準値のみ",
            source="基本目標２ > 数値目標",
        )
    )
    content = build_reminder(meeting, now=dt.datetime(2030, 5, 9, 14, tzinfo=JST), kpis=[kpi])
    [image] = _blocks_of(RR.slack_blocks(content, LINKS), "image")
    assert image["image_url"] == "https://strategy-bot.example.jp/charts/overview.png?v=v7"
    assert _blocks_of(RR.slack_blocks(content), "image") == []


def test_strategy_answer_can_be_shared_with_the_channel(rig: SlackRig) -> None:
    _, url = rig.command("/strategy", "観光消費額の目標は？", user="UOUTSIDE1")
    [private] = rig.posts_to(url)
    assert private.body["response_type"] == "ephemeral"
    [share] = [
        e
        for b in private.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == R.SHARE_ACTION
    ]
    assert share["text"]["text"] == "チャンネルに共有" and share["value"] == "観光消費額の目標は？"

    _, share_url = rig.click({"action_id": R.SHARE_ACTION, "value": share["value"]}, user="UOUTSIDE1")
    posted, deleted = rig.posts_to(share_url, count=2)
    assert posted.body["response_type"] == "in_channel"
    assert "<@UOUTSIDE1>" in posted.body["blocks"][0]["elements"][0]["text"]
    shown = [b for b in posted.body["blocks"] if b["type"] == "section"]
    assert shown == [b for b in private.body["blocks"] if b["type"] == "section"]  # the same answer
    assert not [b for b in posted.body["blocks"] if b.get("block_id") == "share"]  # no second button
    assert deleted.body == {"delete_original": True} or deleted.body.get("delete_original") is True
