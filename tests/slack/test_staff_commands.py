"""Staff command parsing and handlers (channel-neutral), and the Block Kit renderer."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.slack import render as R
from handlers import staff_kpi, staff_meetings, staff_unanswered
from handlers.reply import KpiFacts, Reply
from strategy_data.clock import JST

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=JST)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", staff_kpi.KpiList()),
        ("list 2", staff_kpi.KpiList(goal="2")),
        ("一覧 基本目標1", staff_kpi.KpiList(goal="基本目標1")),
        ("show 待機児童数", staff_kpi.KpiShow(kpi="待機児童数")),
        (
            "show 結婚・子育て応援サイト のアクセス数",
            staff_kpi.KpiShow(kpi="結婚・子育て応援サイト のアクセス数"),
        ),
        ("set births 2022 6,512", staff_kpi.KpiSet(kpi="births", year="2022", value="6,512")),
        (
            "set 待機児童数 R4 0 4月1日時点",
            staff_kpi.KpiSet(kpi="待機児童数", year="R4", value="0", note="4月1日時点"),
        ),
        (
            "ｓｅｔ　大卒者の県内定着率　２０２２　４５．１％",
            staff_kpi.KpiSet(kpi="大卒者の県内定着率", year="2022", value="45.1%"),
        ),
        (
            "set 「公共交通 利用者数」 2022年度 52,000 速報",
            staff_kpi.KpiSet(kpi="公共交通 利用者数", year="2022年度", value="52,000", note="速報"),
        ),
        ("undo", staff_kpi.KpiUndo()),
    ],
)
def test_parse_kpi_command(text, expected):
    assert staff_kpi.parse_kpi_command(text) == expected


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("", "staff", "/kpi set"),
        ("help", "staff", "/kpi list"),
        ("delete births", "error", "というコマンドはありません"),
        ("show", "error", "KPIの名前かIDを指定"),
        ("set births 6500", "error", "入力の形が違います"),
        ("set births", "error", "入力の形が違います"),
    ],
)
def test_parse_kpi_command_help_and_errors(text, kind, fragment):
    reply = staff_kpi.parse_kpi_command(text)
    assert isinstance(reply, Reply)
    assert reply.kind == kind
    assert fragment in reply.text


def test_kpi_set_validation_errors_are_listed(staff_db):
    cases = [
        ("set 存在しない指標 2022 5", "KPI: 「存在しない指標」というKPIは見つかりません"),
        ("set births 2041 6500", "年: 年は2015年から2030年まで"),
        ("set births 2022 たくさん", "値: 「たくさん」は数値として読めません"),
        ("set graduate-retention 2022 120%", "値: 割合（％）は0から100まで"),
        ("set births 2022 -10", "値: 出生数にマイナスの値は入力できません"),
        ("set births 2022 6500人分", "値: 「人分」は単位として使えません"),
    ]
    for text, fragment in cases:
        cmd = staff_kpi.parse_kpi_command(text)
        reply = staff_kpi.handle_kpi_command(staff_db, cmd, by="slack:U1", now=NOW)
        assert reply.kind == "error", text
        assert fragment in reply.text, (text, reply.text)
        assert "confirm" not in reply.data
    assert staff_db["kpi_actuals"].count == 0
    assert staff_db["kpi_audit"].count == 0


def test_kpi_set_previews_without_writing(staff_db):
    reply = staff_kpi.handle_kpi_command(
        staff_db, staff_kpi.parse_kpi_command("set 待機児童数 R4 0 4月1日時点"), by="slack:U1", now=NOW
    )
    assert reply.kind == "staff"
    assert "保育所など利用待機児童数" in reply.text and "2022年" in reply.text and "0人" in reply.text
    confirm = reply.data["confirm"]
    assert confirm["entry"] == {
        "kpi_id": "waiting-children",
        "year": 2022,
        "value": 0.0,
        "note": "4月1日時点",
    }
    assert confirm["nonce"]
    assert staff_db["kpi_actuals"].count == 0


def test_ambiguous_kpi_name_asks_for_an_id(staff_db):
    reply = staff_kpi.handle_kpi_command(
        staff_db, staff_kpi.parse_kpi_command("show 割合"), by="slack:U1", now=NOW
    )
    assert reply.kind == "error"
    assert "複数あります" in reply.text and "healthy-elderly" in reply.text


def test_undo_with_nothing_to_undo(staff_db):
    reply = staff_kpi.handle_kpi_command(staff_db, staff_kpi.KpiUndo(), by="slack:UNOBODY", now=NOW)
    assert reply.kind == "error" and "取り消せる記録がありません" in reply.text


# --- meetings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026-07-20", dt.date(2026, 7, 20)),
        ("2026/7/20", dt.date(2026, 7, 20)),
        ("2026年7月20日", dt.date(2026, 7, 20)),
        ("令和8年7月20日", dt.date(2026, 7, 20)),
        ("R8.7.20", dt.date(2026, 7, 20)),
        ("7/20", dt.date(2026, 7, 20)),
        ("7月20日(月)", dt.date(2026, 7, 20)),
        ("5/1", dt.date(2027, 5, 1)),
        ("２０２６－０７－２０", dt.date(2026, 7, 20)),
    ],
)
def test_parse_date(text, date):
    assert staff_meetings.parse_date(text, NOW.date()) == date


@pytest.mark.parametrize("text", ["2026-02-30", "来週", "20260720", "13/1"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError, match="日付"):
        staff_meetings.parse_date(text, NOW.date())


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("14:00", dt.time(14, 0)),
        ("9:30", dt.time(9, 30)),
        ("14時", dt.time(14)),
        ("14時30分", dt.time(14, 30)),
        ("午後2時", dt.time(14)),
        ("午前10時半", dt.time(10, 30)),
        ("１４：００", dt.time(14)),
        ("14:00〜", dt.time(14)),
    ],
)
def test_parse_time(text, time):
    assert staff_meetings.parse_time(text) == time


@pytest.mark.parametrize("text", ["25:00", "14:60", "昼", "1400"])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError, match="時刻"):
        staff_meetings.parse_time(text)


def test_meeting_add_list_cancel(staff_db):
    cmd = staff_meetings.parse_meeting_command(
        "add 2026-07-20 14:00 市役所本庁舎14階会議室 KPIの進捗確認; 次期戦略について"
    )
    assert cmd == staff_meetings.MeetingAdd(
        date="2026-07-20",
        time="14:00",
        place="市役所本庁舎14階会議室",
        agenda="KPIの進捗確認; 次期戦略について",
    )
    reply = staff_meetings.handle_meeting_command(staff_db, cmd, by="slack:U1", now=NOW)
    assert reply.kind == "staff", reply.text
    meeting = reply.data["meeting"]
    assert meeting["agenda"] == ["KPIの進捗確認", "次期戦略について"]
    assert meeting["starts_at"] == "2026-07-20T14:00:00+09:00"
    assert "2026年7月20日（月） 14:00〜" in reply.text
    listed = staff_meetings.handle_meeting_command(
        staff_db, staff_meetings.MeetingList(), by="slack:U1", now=NOW
    )
    assert f"［ID: {meeting['id']}］" in listed.text
    assert "直近の会議" in listed.text  # the last meeting of the document
    cancelled = staff_meetings.handle_meeting_command(
        staff_db, staff_meetings.parse_meeting_command(f"cancel {meeting['id']}"), by="slack:U1", now=NOW
    )
    assert cancelled.kind == "staff" and "取り消しました" in cancelled.text
    again = staff_meetings.handle_meeting_command(
        staff_db, staff_meetings.MeetingCancel(id=meeting["id"]), by="slack:U1", now=NOW
    )
    assert again.kind == "error" and "すでに取り消されています" in again.text
    listed = staff_meetings.handle_meeting_command(
        staff_db, staff_meetings.MeetingList(), by="slack:U1", now=NOW
    )
    assert "予定されている会議はありません" in listed.text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("add 2026-05-01 14:00 市役所 議題", "もう過ぎています"),
        ("add 2026-07-20 25:00 市役所 議題", "時刻「25:00」はありません"),
        ("add あした 14:00 市役所", "日付「あした」が読めません"),
        ("add 2026-07-20 14:00", "日付・時刻・場所が必要です"),
        ("add 2031-07-20 14:00 市役所", "3年より先"),
        ("cancel abc", "IDを数字で指定"),
        ("cancel 999", "見つかりません"),
        ("move 1", "というコマンドはありません"),
    ],
)
def test_meeting_command_errors(staff_db, text, fragment):
    cmd = staff_meetings.parse_meeting_command(text)
    reply = (
        cmd
        if isinstance(cmd, Reply)
        else staff_meetings.handle_meeting_command(staff_db, cmd, by="s", now=NOW)
    )
    assert reply.kind == "error"
    assert fragment in reply.text, reply.text
    assert staff_db["staff_meetings"].count == 0


def test_meeting_add_without_arguments_asks_for_the_form():
    assert staff_meetings.parse_meeting_command("add") == staff_meetings.MeetingAddForm()


def test_meeting_subcommands_can_be_contributed(staff_db):
    def invite(db, args, *, by, now):
        return Reply(kind="staff", answered=False, text=f"invite {' '.join(args)} by {by}")

    staff_meetings.register("invite-test", invite)
    cmd = staff_meetings.parse_meeting_command("invite-test 山田 太郎")
    reply = staff_meetings.handle_meeting_command(staff_db, cmd, by="slack:U1", now=NOW)
    assert reply.text == "invite 山田 太郎 by slack:U1"


@pytest.mark.parametrize(
    ("text", "days"), [("unanswered", 30), ("unanswered 7", 7), ("未回答 ７日", 7), ("unanswered 365", 365)]
)
def test_parse_unanswered(text, days):
    assert staff_unanswered.is_command(text)
    assert staff_unanswered.parse(text) == staff_unanswered.UnansweredCmd(days=days)


@pytest.mark.parametrize("text", ["unanswered 0", "unanswered 400", "unanswered abc"])
def test_parse_unanswered_rejects(text):
    reply = staff_unanswered.parse(text)
    assert isinstance(reply, Reply) and reply.kind == "error"


def test_strategy_questions_are_not_the_unanswered_command():
    assert not staff_unanswered.is_command("待機児童の目標は？")
    assert not staff_unanswered.is_command("")


# --- rendering ------------------------------------------------------------------------------------

FACTS = KpiFacts(
    id="waiting-children",
    name="保育所など利用待機児童数",
    short_name="待機児童数",
    unit="人",
    goal_id="goal-2",
    baseline_value=6,
    baseline_year=2018,
    baseline_label="H30(2018)",
    target_value=0,
    target_year=2023,
    target_label="R5(2023)",
    comparator="point",
    direction="down",
    latest_value=0,
    latest_year=2022,
    latest_origin="staff",
    progress=1.0,
    status="達成",
    source="基本目標２ > 施策(2)",
)


def test_render_answer_with_kpi_source_and_suggestions():
    reply = Reply(
        kind="kpi",
        answered=True,
        text="待機児童数の目標は0人です。<注意> & 確認",
        source="基本目標２ > 施策(2)",
        suggestions=["出生数の目標は？", "遅れているKPIは？"],
        kpis=[FACTS],
    )
    msg = R.render(reply, question="待機児童の目標は？")
    types = [b["type"] for b in msg["blocks"]]
    assert types == ["context", "section", "section", "context", "context", "actions"]
    assert "&lt;注意&gt; &amp; 確認" in msg["blocks"][1]["text"]["text"]
    fields = [f["text"] for f in msg["blocks"][2]["fields"]]
    assert fields[0] == "*基準値*\n6人（H30(2018)）"
    assert fields[2] == "*最新の実績*\n0人（2022年）（職員入力）"
    assert "達成" in fields[3]
    assert msg["blocks"][3]["elements"][0]["text"] == "出典: 基本目標２ &gt; 施策(2)"
    buttons = msg["blocks"][-1]["elements"]
    assert [b["value"] for b in buttons] == ["出生数の目標は？", "遅れているKPIは？"]
    assert [b["action_id"] for b in buttons] == ["ask_suggestion_0", "ask_suggestion_1"]
    assert all(R.ASK_ACTION.match(b["action_id"]) for b in buttons)
    assert len({b["action_id"] for b in buttons}) == len(buttons)
    assert msg["text"].startswith("待機児童数の目標は0人です。")


def test_render_confirm_and_table():
    confirm = {
        "action": "kpi_set",
        "nonce": "abc",
        "entry": {"kpi_id": "births", "year": 2022, "value": 6512.0},
    }
    reply = Reply(
        kind="staff",
        answered=False,
        text="次の内容で記録します。入力: slack:USTAFF001",
        data={
            "confirm": confirm,
            "table": {"columns": ["年", "区分", "値"], "rows": [["2018", "第2期 基準値", "6"]]},
        },
    )
    msg = R.render(reply)
    assert "<@USTAFF001>" in msg["blocks"][0]["text"]["text"]
    table = msg["blocks"][1]["text"]["text"]
    assert table.startswith("```") and "第2期 基準値" in table
    actions = msg["blocks"][2]
    assert [e["action_id"] for e in actions["elements"]] == ["kpi_set_confirm", "kpi_set_cancel"]
    assert json.loads(actions["elements"][0]["value"]) == confirm


def test_render_respects_block_kit_limits():
    long = "あ" * 1000
    reply = Reply(kind="fallback", answered=False, text=long, suggestions=["い" * 120] * 13)
    msg = R.render(reply)
    for block in msg["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            for e in block["elements"]:
                assert len(e["text"]["text"]) <= 75
                assert len(e["value"]) <= 2000
    assert len(msg["blocks"]) <= 50
    assert len(msg["text"]) <= 300
