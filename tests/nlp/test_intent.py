"""What kind of answer a question wants, and what it refers to."""

from __future__ import annotations

import pytest

from nlp.intent import detect, is_english, strip_refs
from nlp.normalize import normalize


def intent(text: str):
    return detect(normalize(text))


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("MICEとは", "definition"),
        ("DMOって何？", "definition"),
        ("SNSの意味は", "definition"),
        ("スクールソーシャルワーカーって？", "definition"),
        ("待機児童の目標は", "kpi"),
        ("出生数の基準値", "kpi"),
        ("企業立地件数はどれくらい", "kpi"),
        ("赤ちゃんは何人生まれてる", "kpi"),
        ("待機児童は減ってる？", "kpi"),
        ("創業支援の取り組み", "policy"),
        ("空き家対策は", "policy"),
        ("次回の会議はいつ", "committee"),
        ("委員の任期", "committee"),
        ("定足数は", "committee"),
        ("KPI一覧", "list"),
        ("使い方を教えて", "help"),
        ("何が聞けるの？", "help"),
        ("こんにちは", "greeting"),
        ("ありがとうございます！", "greeting"),
        ("次回の会議はいつ？", "next_meeting"),
        ("今度の委員会は", "next_meeting"),
        ("明日の天気", "weather"),
        ("ゴミの収集日", "garbage"),
        ("入園料はいくら", "asks_fee"),
        ("開館時間は", "asks_hours"),
        ("熊本城ホールはどこにありますか", "asks_location"),
        ("熊本市長は誰", "asks_who"),
        ("花火大会の日程", "asks_when"),
    ],
)
def test_flags(text: str, flag: str) -> None:
    assert getattr(intent(text), flag), text


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("バスが減って困っている", "kpi"),  # a complaint, not a question about a figure
        ("待機児童の目標", "definition"),
        ("MICEとは", "kpi"),
        ("基本目標1は何", "kpi"),  # 基本目標 is a heading, not a target
        ("こんにちは、待機児童の目標は？", "greeting"),  # a greeting with a question is a question
        ("あなたは何歳", "help"),
    ],
)
def test_not_flags(text: str, flag: str) -> None:
    assert not getattr(intent(text), flag), text


def test_references() -> None:
    i = intent("基本目標２の施策(3)は？")
    assert (i.goal_ref, i.measure_ref) == (2, 3)
    assert intent("リーディングプロジェクトⅢの概要").project_ref == 3
    assert intent("プロジェクト4").project_ref == 4
    assert intent("第５回の会議").meeting_ref == 5
    assert intent("運営要綱の第6条").article_ref == 6
    assert intent("2030年の人口目標").years == [2030]


def test_status_words_and_lists() -> None:
    assert intent("遅れているKPIは").status == "遅れ"
    assert intent("順調な指標").status == "順調"
    assert intent("遅れているKPIは").wants_kpi_list
    assert intent("基本目標2のKPI").wants_kpi_list
    assert not intent("待機児童のKPI").wants_kpi_list


def test_strip_refs() -> None:
    assert strip_refs(normalize("基本目標2について")).strip() == "について"
    assert strip_refs(normalize("リーディングプロジェクトⅢの概要")).strip() == "の概要"
    assert "第5回" not in strip_refs(normalize("第5回の議事"))


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("which places are the 国際観光重点地域?", True),  # an English sentence around a Japanese name
        ("What is the target for births?", True),
        ("KPIって何？", False),
        ("MICEとUIJターンの意味", False),
        ("熊本城 wifi free spot はある？", False),
    ],
)
def test_english_is_told_by_its_sentence_not_by_its_letters(text: str, english: bool) -> None:
    assert is_english(normalize(text)) is english


@pytest.mark.parametrize(
    ("question", "counter"),
    [("熊本城ホールの座席数は？", "席"), ("育休は何か月取れるの？", "か月"), ("何席ありますか", "席")],
)
def test_counts_asked_in_seats_and_months(question: str, counter: str) -> None:
    assert detect(normalize(question)).counter == counter


def test_an_officeholders_name_is_a_who_question_not_a_definition() -> None:
    intent = detect(normalize("いまの熊本市長の名前はなんていうんですか？"))
    assert intent.asks_who and not intent.definition


def test_some_people_is_no_figure_asked() -> None:
    assert detect(normalize("技能実習生を何人か雇っとります。相談窓口はある？")).counter is None
    assert detect(normalize("待機児童は何人かな？")).counter == "人"
