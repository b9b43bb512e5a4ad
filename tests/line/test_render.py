"""Reply → LINE messages, within LINE's limits (checked by our own checker and by the SDK's models)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linebot.v3.messaging import FlexMessage, TextMessage

from bot.charts.links import ChartLinks, chart_links, public_base
from bot.line import flex as F
from bot.line import limits as L
from bot.line import render as R
from bot.line import texts as T
from bot.line.events import postback_question
from handlers.reply import KpiFacts, Reply


def kpi(**overrides: Any) -> KpiFacts:
    values: dict[str, Any] = dict(
        id="waiting-children",
        name="待機児童数",
        unit="人",
        goal_id="goal-2",
        baseline_value=6,
        baseline_year=2019,
        baseline_label="H31(2019)",
        target_value=0,
        target_year=2023,
        target_label="R5(2023)",
        comparator="point",
        direction="down",
        latest_value=3,
        latest_year=2021,
        progress=0.5,
        status="遅れ",
        source="基本目標２ > 施策(1) > KPI",
    )
    values.update(overrides)
    return KpiFacts.model_validate(values)


def _texts(component: Any) -> list[str]:
    """Every text in a Flex component tree."""
    if isinstance(component, dict):
        out = [component["text"]] if component.get("type") == "text" else []
        for v in component.values():
            out += _texts(v)
        return out
    if isinstance(component, list):
        return [t for c in component for t in _texts(c)]
    return []


def _sdk_roundtrip(message: dict[str, Any]) -> None:
    """The SDK's own models accept the message and give it back unchanged."""
    model = {"flex": FlexMessage, "text": TextMessage}[message["type"]]
    assert model.from_dict(message).to_dict() == message


def test_kpi_reply_is_text_then_a_flex_bubble_with_quick_replies() -> None:
    reply = Reply(
        kind="kpi",
        answered=True,
        text="待機児童数の目標は R5(2023) に 0人です。",
        suggestions=["待機児童数の実績は？", "基本目標2のKPI"],
        kpis=[kpi()],
    )
    messages = R.render_reply(reply)
    assert [m["type"] for m in messages] == ["text", "flex"]
    assert L.check_messages(messages) == []
    assert "quickReply" not in messages[0] and messages[1]["quickReply"]["items"]
    flex = messages[1]
    bubble = flex["contents"]
    assert bubble["type"] == "bubble"
    texts = _texts(bubble)
    assert "待機児童数" in texts and "遅れ" in texts
    assert "6人" in texts and "0人" in texts and "3人" in texts  # baseline, target, latest
    assert "H31(2019)" in texts and "R5(2023)・基準値より下げる目標" in texts and "R3(2021)" in texts
    badge = bubble["body"]["contents"][-1]
    assert badge["backgroundColor"] == F.STATUS_COLORS["遅れ"]
    assert len(json.dumps(bubble, ensure_ascii=False).encode()) < L.MAX_BUBBLE_BYTES
    assert 0 < len(flex["altText"]) <= L.MAX_ALT_TEXT
    for m in messages:
        _sdk_roundtrip(m)


@pytest.mark.parametrize("status", ["達成", "順調", "遅れ", "基準値のみ"])
def test_each_status_has_its_colour(status: str) -> None:
    k = kpi(status=status, latest_value=None if status == "基準値のみ" else 3, progress=None)
    message = F.kpi_flex_message([k])
    assert message is not None
    assert message["contents"]["body"]["contents"][-1]["backgroundColor"] == F.STATUS_COLORS[status]
    if status == "基準値のみ":
        assert T.FLEX_NO_LATEST in _texts(message)
    _sdk_roundtrip(message)


def test_at_least_targets_say_so_and_numbers_are_formatted() -> None:
    k = kpi(
        name="市内総生産額",
        unit="十億円",
        baseline_value=2496,
        target_value=2692,
        comparator="at_least",
        direction="up",
        latest_value=2550.5,
    )
    texts = _texts(F.kpi_flex_message([k]))
    assert "2,692十億円以上" in texts and "2,496十億円" in texts and "2,550.5十億円" in texts
    assert F.year_label(2019) == "H31(2019)" and F.year_label(2020) == "R2(2020)"
    assert F.format_number(1.14) == "1.14" and F.format_number(45.30) == "45.3" and F.format_number(0) == "0"


def test_up_to_ten_kpis_become_a_carousel_whose_bubbles_ask_when_tapped() -> None:
    kpis = [
        kpi(id=f"k{i}", name=f"指標{i}" + "とても長い名前" * 10, short_name=f"指標{i}") for i in range(10)
    ]
    reply = Reply(kind="kpi_list", answered=True, text="遅れているKPI（10件）：\n・…", kpis=kpis)
    messages = R.render_reply(reply)
    flex = messages[-1]
    assert flex["contents"]["type"] == "carousel"
    bubbles = flex["contents"]["contents"]
    assert len(bubbles) == 10 <= L.MAX_CAROUSEL_BUBBLES
    action = bubbles[3]["body"]["action"]
    assert action["type"] == "postback" and action["displayText"] == "指標3の目標は？"
    assert postback_question(action["data"]) == "指標3の目標は？"
    assert len(json.dumps(flex["contents"], ensure_ascii=False).encode()) < L.MAX_CAROUSEL_BYTES
    assert L.check_messages(messages) == []
    _sdk_roundtrip(flex)


def test_a_longer_list_is_one_compact_bubble_with_every_kpi() -> None:
    statuses = ["達成", "順調", "遅れ", "基準値のみ"]
    kpis = [
        kpi(
            id=f"k{i}", name=f"指標{i}" + "とても長い名前" * 10, short_name=f"指標{i}", status=statuses[i % 4]
        )
        for i in range(17)
    ]
    text = "数値目標・KPI（17件）：\n" + "\n".join(f"・指標{i}：6人→0人【遅れ】" for i in range(17))
    reply = Reply(kind="kpi_list", answered=True, text=text, source="２ 基本戦略 > 数値目標・KPI", kpis=kpis)
    messages = R.render_reply(reply)
    assert [m["type"] for m in messages] == ["text", "flex"]
    assert (
        messages[0]["text"] == "数値目標・KPI（17件）の状況です（達成5件・順調4件・遅れ4件・基準値のみ4件）。"
    )
    bubble = messages[1]["contents"]
    assert bubble["type"] == "bubble"
    rows = [c for c in bubble["body"]["contents"] if c["type"] == "box"]
    assert len(rows) == 17
    assert postback_question(rows[16]["action"]["data"]) == "指標16の目標は？"
    assert "出典：２ 基本戦略 > 数値目標・KPI" in _texts(bubble["footer"])
    assert L.check_messages(messages) == []
    _sdk_roundtrip(messages[1])


def test_the_text_above_a_bubble_does_not_repeat_its_figures() -> None:
    text = "「待機児童数」（基本目標2のKPI、単位：人）\n・基準値：6人（H31(2019)）\n・目標値：0人（R5(2023)）"
    reply = Reply(kind="kpi", answered=True, text=text, source="基本目標２ > KPI", kpis=[kpi()])
    lead = R.render_reply(reply)[0]["text"]
    assert lead == "「待機児童数」（基本目標2のKPI、単位：人）"
    assert "6人" not in lead
    assert "R5(2023)・基準値より下げる目標" in _texts(R.render_reply(reply)[1])  # said in the bubble


def test_every_answer_has_its_source() -> None:
    reply = Reply(kind="glossary", answered=True, text="「MICE」とは：…", source="基本目標１ > 脚注7")
    assert R.render_reply(reply)[0]["text"].endswith("\n\n出典：基本目標１ > 脚注7")
    declined = Reply(kind="fallback", answered=False, text="お答えできませんでした。")
    assert R.render_reply(declined)[0]["text"] == "お答えできませんでした。"


def test_hero_chart_only_with_a_public_https_base() -> None:
    reply = Reply(kind="kpi", answered=True, text="「待機児童数」", kpis=[kpi()])
    links = chart_links("https://bot.example.jp/", None)  # type: ignore[arg-type]
    assert links is None  # no database: no version, so no image rather than a wrong one
    links = ChartLinks("https://bot.example.jp", "v1")
    hero = R.render_reply(reply, links)[1]["contents"]["hero"]
    assert hero["type"] == "image" and hero["aspectRatio"] == "2:1"
    assert hero["url"] == "https://bot.example.jp/charts/kpi/waiting-children.png?v=v1"
    assert "hero" not in R.render_reply(reply)[1]["contents"]
    assert public_base("http://bot.example.jp") is None and public_base("https://x.jp/") == "https://x.jp"
    _sdk_roundtrip(R.render_reply(reply, links)[1])


def test_scaled_units_read_naturally_and_the_printed_figure_is_kept() -> None:
    k = kpi(name="市内総生産額", unit="十億円", baseline_value=2496, target_value=2692, direction="up")
    texts = _texts(F.kpi_flex_message([k]))
    assert "2,496十億円" in texts and "2兆4,960億円・H31(2019)" in texts


def test_quick_replies_keep_to_13_items_and_20_character_labels() -> None:
    long_q = "熊本市しごと・ひと・まち創生総合戦略の基本目標1の数値目標の達成状況を教えてください"
    suggestions = [long_q, long_q, "  ", "KPI一覧"] + [f"質問{i}" for i in range(20)]
    qr = R.quick_reply(suggestions)
    assert qr is not None
    items = qr["items"]
    assert len(items) == 13
    first = items[0]["action"]
    assert first["type"] == "message" and first["text"] == long_q  # the full question is sent
    assert L.line_length(first["label"]) <= 20 and first["label"].endswith("…")
    assert [i["action"]["text"] for i in items[:2]] == [long_q, "KPI一覧"]  # duplicates and blanks dropped
    assert R.quick_reply([]) is None


def test_labels_count_emoji_as_line_does() -> None:
    label = R.quick_reply(["😀" * 15])["items"][0]["action"]["label"]  # type: ignore[index]
    assert L.line_length(label) <= 20


def test_long_text_is_split_into_at_most_five_messages() -> None:
    messages = R.text_messages("あ" * 12_000)
    assert [len(m["text"]) for m in messages] == [5000, 5000, 2000]
    messages = R.text_messages(("い" * 4000 + "\n") * 10)
    assert len(messages) == 5 and all(L.line_length(m["text"]) <= 5000 for m in messages)
    assert L.check_messages(messages) == []


@pytest.mark.parametrize("mtype", [*R.T.NON_TEXT, "hologram"])
def test_polite_replies_to_non_text_messages(mtype: str) -> None:
    messages = R.non_text_messages(mtype)
    assert L.check_messages(messages) == []
    assert T.WHAT_I_CAN_DO in messages[0]["text"]
    assert messages[-1]["quickReply"]["items"]


def test_welcome_says_what_can_be_asked_with_quick_replies() -> None:
    messages = R.welcome_messages()
    assert L.check_messages(messages) == []
    assert "KPI" in messages[0]["text"] and "用語" in messages[0]["text"]
    labels = [i["action"]["label"] for i in messages[-1]["quickReply"]["items"]]
    assert labels == list(T.EXAMPLE_QUESTIONS)


def test_the_checker_catches_what_line_would_refuse() -> None:
    assert L.check_messages([]) != []
    assert L.check_messages([R.text_message("a")] * 6) != []
    assert L.check_message({"type": "text", "text": "a" * 5001}) != []
    bubble = F.kpi_bubble(kpi())
    bubble["body"]["contents"][-1]["backgroundColor"] = "red"
    assert L.check_flex_container(bubble) != []
    assert L.check_flex_container({"type": "bubble", "body": {"type": "box", "contents": []}}) != []
    assert L.check_flex_container({"type": "carousel", "contents": [bubble] * 13}) != []
    huge = F.kpi_bubble(kpi())
    huge["body"]["contents"].append({"type": "text", "text": "x" * 31_000})
    assert L.check_flex_container(huge) != []
    qr = {"items": [{"type": "action", "action": {"type": "message", "label": "l" * 21, "text": "t"}}] * 14}
    assert len(L.check_message({"type": "text", "text": "a", "quickReply": qr})) >= 2


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(min_size=1, max_size=1000),
    suggestions=st.lists(st.text(max_size=400), max_size=13),
    with_kpi=st.booleans(),
    name=st.text(min_size=1, max_size=300),
)
def test_any_reply_renders_within_limits(
    text: str, suggestions: list[str], with_kpi: bool, name: str
) -> None:
    reply = Reply(
        kind="kpi" if with_kpi else "fallback",
        answered=with_kpi,
        text=text,
        suggestions=suggestions,
        kpis=[kpi(name=name)] if with_kpi else [],
    )
    messages = R.render_reply(reply)
    assert L.check_messages(messages) == []
