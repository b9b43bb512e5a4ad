"""The answer pipeline end to end: Query in, Reply out, over the real data."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from handlers.dispatch import DEFAULT_CONTACT, Answerer
from handlers.reply import MAX_SUGGESTIONS, MAX_TEXT, Query, Reply
from handlers.unanswered import top_unanswered
from strategy_data.clock import JST
from strategy_data.database import connect
from strategy_data.meetings import NewMeeting, add_meeting, cancel_meeting

NOW = dt.datetime(2024, 6, 1, 10, 0, tzinfo=JST)
DIGIT = re.compile(r"[0-9]")


def ask(answerer: Answerer, text: str, **kw) -> Reply:
    return answerer.answer(Query(text=text, now=kw.pop("now", NOW), channel=kw.pop("channel", "test"), **kw))


def assert_contract(reply: Reply) -> None:
    assert len(reply.text) <= MAX_TEXT
    assert len(reply.suggestions) <= MAX_SUGGESTIONS
    assert all(s.strip() for s in reply.suggestions)
    if not reply.answered:
        assert not DIGIT.search(unicodedata.normalize("NFKC", reply.text)), reply.text


@pytest.fixture
def fresh(built_db_path) -> Answerer:
    """An Answerer over a private database (for tests that change staff data)."""
    return Answerer(connect(built_db_path))


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u3000\n\t",
        "😀😀😀",
        "🙏",
        "\x00\x01\x02\x1b",
        "？？？",
        "...",
        "待機児童" * 2500,  # 10,000 characters
        "あ" * 10000,
        "\u202e待機児童の目標\u202c",
        "ｷｮｳｷﾞｶｲ",
    ],
)
def test_bad_input_never_crashes_and_states_no_figure_unless_answering(answerer: Answerer, text: str) -> None:
    reply = ask(answerer, text)
    assert_contract(reply)


def test_empty_question_gets_a_polite_prompt(answerer: Answerer) -> None:
    reply = ask(answerer, "   ")
    assert reply.kind == "help" and not reply.answered
    assert "質問" in reply.text and reply.suggestions


def test_emoji_only(answerer: Answerer) -> None:
    reply = ask(answerer, "😀😀😀")
    assert not reply.answered and reply.kind in ("help", "fallback")


def test_very_long_question_is_answered_from_its_start(answerer: Answerer) -> None:
    reply = ask(answerer, "待機児童の目標は？" + "あ" * 10000)
    assert reply.kind == "kpi" and "待機児童" in reply.text


def test_control_characters_are_ignored(answerer: Answerer) -> None:
    reply = ask(answerer, "待機\x00児童の\u200b目標は？\x1b")
    assert reply.kind == "kpi" and "待機児童" in reply.text


def test_half_width_kana(answerer: Answerer) -> None:
    reply = ask(answerer, "ﾀｲｷｼﾞﾄﾞｳの目標")
    assert reply.kind == "kpi" and "待機児童" in reply.text


def test_an_english_question_nothing_answers_is_declined_in_english(answerer: Answerer) -> None:
    reply = ask(answerer, "How much does a bus pass cost?")
    assert not reply.answered and reply.kind in ("fallback", "out_of_scope")
    assert reply.text.startswith("Sorry") and "日本語" not in reply.text
    assert not any(ch.isdigit() for ch in reply.text)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("What is the target for the number of births?", "7,000"),
        ("How many children are on waiting lists?", "待機児童"),
        ("what does SNS stand for", "ソーシャルネットワーキングサービス"),
    ],
)
def test_english_kpi_and_term_questions_are_understood(answerer: Answerer, question: str, fact: str) -> None:
    reply = ask(answerer, question)
    assert reply.answered and fact in reply.text


def test_an_english_question_about_a_term_is_answered_in_japanese(answerer: Answerer) -> None:
    reply = ask(answerer, "What is MICE?")
    assert reply.kind == "glossary" and "Convention" in reply.text and "とは" in reply.text
    assert ask(answerer, "What's the weather tomorrow?").kind == "out_of_scope"


def test_two_topics_answer_the_first_and_suggest_the_second(answerer: Answerer) -> None:
    reply = ask(answerer, "待機児童と観光消費額の目標は？")
    assert reply.kind == "kpi" and "待機児童" in reply.text and "観光消費額" not in reply.text
    assert "観光消費額" in reply.suggestions[0]


# --- out of scope --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("鹿児島市の待機児童の目標は？", "other_place"),
        ("2030年の人口目標は？", "year"),
        ("水前寺成趣園の入園料は？", "fee"),
        ("熊本城の開園時間は", "hours"),
        ("明日の天気は", "weather"),
        ("熊本市長は誰？", "who"),
        ("花火大会の日程は？", "when"),
    ],
)
def test_out_of_scope_is_declined_without_a_nearby_figure(answerer: Answerer, text: str, reason: str) -> None:
    reply = ask(answerer, text)
    assert reply.kind == "out_of_scope" and not reply.answered
    assert reply.data["reason"] == reason
    assert "この戦略でお答えできるのは" in reply.text  # says what the strategy covers
    assert DEFAULT_CONTACT in reply.text
    assert_contract(reply)
    assert 1 <= len(reply.suggestions) <= 3


def test_the_population_outlook_the_document_does_set_is_answered(answerer: Answerer) -> None:
    reply = ask(answerer, "2050年の人口目標は？")
    assert reply.answered and "70万人" in reply.text


def test_fallback_offers_three_questions_and_a_person(answerer: Answerer) -> None:
    reply = ask(answerer, "住民票の取り方を教えて")
    assert reply.kind in ("fallback", "out_of_scope") and not reply.answered
    assert len(reply.suggestions) == 3
    assert "政策企画課" in reply.text


def test_contact_text_is_configuration(built_db_path) -> None:
    answerer = Answerer(connect(built_db_path), contact="熊本市コールセンター（テスト）")
    reply = ask(answerer, "住民票の取り方を教えて")
    assert "熊本市コールセンター（テスト）" in reply.text
    assert DEFAULT_CONTACT not in reply.text


# --- answers -------------------------------------------------------------------------------


def test_kpi_reply_carries_structured_facts(answerer: Answerer) -> None:
    reply = ask(answerer, "観光消費額の目標は？")
    assert reply.kind == "kpi" and reply.answered
    (facts,) = reply.kpis
    assert (facts.id, facts.baseline_value, facts.target_value, facts.unit) == (
        "tourism-spending",
        735,
        852,
        "億円",
    )
    assert reply.source and "施策(4)" in reply.source
    assert "735億円" in reply.text and "852億円" in reply.text


def test_glossary_reply_names_where_the_term_appears(answerer: Answerer) -> None:
    reply = ask(answerer, "DMOとは")
    assert reply.kind == "glossary" and "舵取り役" in reply.text
    assert "リーディングプロジェクト" in reply.text or "リーディングプロジェクト" in (reply.source or "")


def test_policy_reply_cites_the_heading_path(answerer: Answerer) -> None:
    reply = ask(answerer, "古い家を地震に強くしたい")
    assert reply.kind == "policy"
    assert (
        reply.source
        == "基本目標３ > 施策(1) 「多核連携都市」の実現に向けた公共交通網の充実及び既存ストックの利活用 > ③"
    )
    assert "耐震診断" in reply.text


def test_kpi_list_of_a_goal(answerer: Answerer) -> None:
    reply = ask(answerer, "基本目標2のKPIは？")
    assert reply.kind == "kpi_list" and [f.id for f in reply.kpis] == [
        "births",
        "waiting-children",
        "graduate-retention",
        "marriage-site-access",
    ]


def test_greeting_and_help_state_no_fact(answerer: Answerer) -> None:
    for text, kind in (("こんにちは", "greeting"), ("ありがとう", "greeting"), ("使い方", "help")):
        reply = ask(answerer, text)
        assert (reply.kind, reply.answered) == (kind, False)


def test_replies_stay_within_limits_for_the_whole_question_set(answerer: Answerer) -> None:
    import yaml

    questions = Path(__file__).resolve().parents[1] / "questions.yaml"
    for q in yaml.safe_load(questions.read_text(encoding="utf-8"))["questions"]:
        reply = ask(answerer, q["q"])
        assert_contract(reply)
        assert len(reply.text) <= 1000
        for s in reply.suggestions:
            assert len(s) <= 24, s


# --- live staff data -----------------------------------------------------------------------


def test_staff_actual_shows_at_once(fresh: Answerer) -> None:
    before = ask(fresh, "観光消費額の目標は？")
    assert before.kpis[0].status == "基準値のみ"
    fresh.db.execute(
        "INSERT INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
        " VALUES ('tourism-spending', 2022, 860, NULL, 'staff', '2024-05-01T09:00:00+09:00')"
    )
    fresh.db.conn.commit()
    after = ask(fresh, "観光消費額の目標は？")
    assert after.kpis[0].status == "達成" and "860億円" in after.text
    listed = ask(fresh, "達成したKPIは？")
    assert [f.id for f in listed.kpis] == ["tourism-spending"]


def test_this_years_figure_is_declined_until_staff_enter_it(fresh: Answerer) -> None:
    now = dt.datetime(2026, 12, 3, 12, 0, tzinfo=JST)
    declined = ask(fresh, "今年の観光消費額はいくら？", now=now)
    assert declined.kind == "out_of_scope" and declined.data["reason"] == "now"
    assert "計画期間はすでに終了" in declined.text
    fresh.db.execute(
        "INSERT INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
        " VALUES ('tourism-spending', 2026, 901, NULL, 'staff', '2026-11-01T09:00:00+09:00')"
    )
    fresh.db.conn.commit()
    answered = ask(fresh, "今年の観光消費額はいくら？", now=now)
    assert answered.kind == "kpi" and "901億円" in answered.text


def test_next_meeting_is_the_next_staff_scheduled_one(fresh: Answerer) -> None:
    none = ask(fresh, "次回の会議はいつ？")
    assert none.kind == "committee" and none.answered
    assert "予定は登録されていません" in none.text and "第5回" in none.text  # the most recent one
    meeting = add_meeting(
        fresh.db,
        NewMeeting(
            starts_at=dt.datetime(2024, 7, 10, 14, 0), place="市役所本庁舎14階会議室", agenda=["進捗報告"]
        ),
        by="staff",
        now=NOW,
    )
    nxt = ask(fresh, "次回の会議はいつ？")
    assert "2024年7月10日（水） 14:00〜" in nxt.text and "市役所本庁舎14階会議室" in nxt.text
    assert "進捗報告" in nxt.text
    # after it has started it is no longer "next"
    later = ask(fresh, "次回の会議はいつ？", now=dt.datetime(2024, 7, 10, 15, 0, tzinfo=JST))
    assert "予定は登録されていません" in later.text and "2024年7月10日" in later.text
    cancel_meeting(fresh.db, meeting.staff_id, by="staff", now=NOW)
    assert "予定は登録されていません" in ask(fresh, "次回の会議はいつ？").text


def test_meeting_by_number_includes_staff_meetings(fresh: Answerer) -> None:
    add_meeting(
        fresh.db,
        NewMeeting(starts_at=dt.datetime(2024, 7, 10, 14, 0), place="市役所", agenda=[], number=6),
        by="staff",
        now=NOW,
    )
    reply = ask(fresh, "第6回の会議は？")
    assert "2024年7月10日" in reply.text


def test_fifth_meeting_is_corrected_to_2020(answerer: Answerer) -> None:
    reply = ask(answerer, "第5回の検証委員会はいつ？")
    assert "2020年2月14日（金）" in reply.text


# --- unanswered questions ------------------------------------------------------------------


def test_unanswered_questions_are_recorded_without_user(fresh: Answerer) -> None:
    ask(fresh, "住民票の取り方を教えて", user_hash="abc123", channel="line")
    ask(fresh, "住民票の取り方を教えて", channel="slack")
    ask(fresh, "待機児童の目標は？")  # answered: not recorded
    ask(fresh, "こんにちは")  # a greeting is not a question left unanswered
    rows = list(fresh.db.query("SELECT * FROM unanswered"))
    assert {r["channel"] for r in rows} == {"line", "slack"}
    assert all(set(r) == {"id", "text", "channel", "asked_at"} for r in rows)
    assert all("abc123" not in str(r) for r in rows)
    top = top_unanswered(fresh.db, 30, NOW + dt.timedelta(minutes=1))
    assert top[0][0] == "住民票の取り方を教えて" and top[0][1] == 2


def test_answer_never_raises_even_with_a_broken_database(built_db_path) -> None:
    db = connect(built_db_path)
    answerer = Answerer(db)
    db.execute("DROP TABLE kpi_actuals")
    reply = ask(answerer, "観光消費額の目標は？")
    assert reply.kind == "error" and not reply.answered
    assert_contract(reply)


def test_answer_accepts_another_connection(built_db_path, answerer: Answerer) -> None:
    other = connect(built_db_path)
    reply = answerer.answer(Query(text="待機児童の目標は？", now=NOW), db=other)
    assert reply.kind == "kpi"


def test_rebuilt_data_is_used_without_a_restart(built_db_path, tmp_path) -> None:
    """Staff add a synonym and run load-data: the running Answerer answers with it."""
    import shutil

    from strategy_data.database import build
    from strategy_data.loader import DATA_DIR, load

    db = connect(built_db_path)
    answerer = Answerer(db)
    assert ask(answerer, "くまモンの目標は？").kind in ("fallback", "out_of_scope")
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    with (data_dir / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write("  - target: tourism-spending\n    note: テスト\n    phrases: [くまモンの目標]\n")
    build(db, load(data_dir))
    db.execute("UPDATE build_info SET value = 'rebuilt-for-test' WHERE key = 'built_at'")  # a new build stamp
    db.conn.commit()
    reply = ask(answerer, "くまモンの目標は？")
    assert reply.kind == "kpi" and "観光消費額" in reply.text


def test_an_unbuilt_database_gets_a_polite_error_then_answers_once_built(tmp_path) -> None:
    from strategy_data.database import build
    from strategy_data.loader import load

    db = connect(tmp_path / "empty.db")
    answerer = Answerer(db)  # e.g. the server started before `strategy-bot load-data`
    reply = ask(answerer, "待機児童の目標は？")
    assert reply.kind == "error" and not reply.answered and "準備" in reply.text
    build(db, load())
    assert ask(answerer, "待機児童の目標は？").kind == "kpi"


@pytest.mark.parametrize(
    ("question", "figure"),
    [("2023年の観光消費額は？", "852"), ("How much tourist spending does the city want by 2023?", "852")],
)
def test_a_planned_year_with_no_series_named_means_the_target(answerer, question: str, figure: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert reply.kind == "kpi" and figure in reply.text, reply.text


@pytest.mark.parametrize(
    "question", ["令和5年度の観光消費額の実績は？", "待機児童って、2023年度に結局ゼロになったの？"]
)
def test_an_actual_of_a_planned_year_is_not_printed(answerer, question: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert not reply.answered and reply.kind == "out_of_scope", reply.text


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What is the target for city gross product?", True),
        ("How much is the baseline of gross city product?", True),
        ("What is Fukuoka City's target for births?", False),
    ],
)
def test_a_city_in_english_is_another_city_only_when_it_is_a_name(
    answerer, question: str, answered: bool
) -> None:
    assert answerer.answer(Query(text=question)).answered is answered


@pytest.mark.parametrize(
    ("question", "kpi_id"),
    [
        ("農業のKPIはなんですか", "farm-shipment-per-household"),
        ("観光のKPIって何を指標にしてるの？", "tourism-spending"),
        ("What is the KPI for farms?", "farm-shipment-per-household"),
    ],
)
def test_kpi_beside_a_topic_asks_for_the_indicator_about_it(answerer, question: str, kpi_id: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert reply.kind == "kpi" and [f.id for f in reply.kpis] == [kpi_id], reply.text


@pytest.mark.parametrize("question", ["KPIとは？", "KPIって何の略？", "KPIは日本語で何と言う？"])
def test_kpi_alone_is_the_term(answerer, question: str) -> None:
    assert answerer.answer(Query(text=question)).kind == "glossary"


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("第1期の障がい者の一般就労の目標って何人だった？", "63"),
        ("前の戦略で待機児童の基準値は何人だった？", "397"),
    ],
)
def test_first_term_targets_and_baselines_when_asked(answerer, question: str, figure: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert reply.kind == "kpi" and figure in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What is a low cost weather resistant greenhouse?", "7"),
        ("What is the target number of visits to the marriage and child-raising support website?", "335"),
        ("What population does the city want to keep in 2050?", "70"),
    ],
)
def test_english_words_of_a_topic_are_not_scope_cues(answerer, question: str, figure: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert reply.answered and figure in reply.text, reply.text


@pytest.mark.parametrize(
    "question", ["What is the weather tomorrow?", "What is the website of the city hall?"]
)
def test_english_scope_cues_still_decline(answerer, question: str) -> None:
    assert answerer.answer(Query(text=question)).kind == "out_of_scope"


@pytest.mark.parametrize(
    "question",
    [
        "Will it rain in Kumamoto tomorrow? I have a farm job.",
        "Which nursery school do you recommend for me?",
    ],
)
def test_english_weather_and_advice_are_declined(answerer, question: str) -> None:
    assert answerer.answer(Query(text=question)).kind == "out_of_scope"


@pytest.mark.parametrize(
    ("question", "kpi_id"),
    [
        ("障害のある人で一般企業に就職できた人の数ってわかりますか", "disabled-employment"),
        ("バスとか市電の年間利用者数", "public-transport-users"),
    ],
)
def test_an_amount_asked_of_what_a_kpi_measures_gets_the_kpi(answerer, question: str, kpi_id: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert [f.id for f in reply.kpis] == [kpi_id], reply.text


@pytest.mark.parametrize(
    "question", ["基本目標4の数値目標ってなんですか？", "プロジェクト5は？", "What is basic goal 4?"]
)
def test_a_part_the_strategy_does_not_have_is_declined(answerer, question: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert reply.kind == "out_of_scope" and reply.data["reason"] == "no_such", reply.text


def test_next_of_another_event_is_not_the_next_committee_meeting(answerer) -> None:
    assert answerer.answer(Query(text="合同就職面談会、次はいつどこでありますか？")).kind == "out_of_scope"
    assert answerer.answer(Query(text="次回の会議はいつ？")).kind == "committee"


@pytest.mark.parametrize(
    ("question", "kpi_id"),
    [
        ("ほいくえん入れん子って今なんにんおると？", "waiting-children"),
        ("企業誘致って何件までふやす目標なん？", "business-locations"),
        ("障害者の就職の数って今なんにん？", "disabled-employment"),
    ],
)
def test_counts_asked_in_kana_or_dialect_get_the_kpi(answerer, question: str, kpi_id: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert [f.id for f in reply.kpis] == [kpi_id], reply.text


@pytest.mark.parametrize(
    ("question", "kpi_ids"),
    [
        ("子育て支援の施策で、KPIに何をつかってる？", ["waiting-children"]),
        ("仕事と子育ての両立の施策、KPIはなんですか", ["graduate-retention", "marriage-site-access"]),
    ],
)
def test_the_kpis_of_a_policy(answerer, question: str, kpi_ids: list[str]) -> None:
    reply = answerer.answer(Query(text=question))
    assert [f.id for f in reply.kpis] == kpi_ids, reply.text


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("待機児童ってどの区が一番多いと？", "figure"),
        ("子育て支援センターは土日もあいてますか", "hours"),
        ("今の会社やめて熊本に移住すべきか迷ってます。どう思いますか？", "advice"),
        ("健康ポイントのアプリってどうやって登録するの？", "procedure"),
    ],
)
def test_what_the_strategy_does_not_hold_is_declined(answerer, question: str, reason: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert reply.kind == "out_of_scope" and reply.data["reason"] == reason, reply.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("KPI meaning?", "glossary"),
        ("From what year to what year does this strategy run?", "overview"),
        ("My work visa expires next month. How do I renew it?", "out_of_scope"),
        ("Where is a good ramen restaurant?", "out_of_scope"),
        (
            "I want to open a cafe in an empty shop on the shopping street. Any support from the city?",
            "policy",
        ),
    ],
)
def test_english_cues(answerer, question: str, kind: str) -> None:
    assert answerer.answer(Query(text=question)).kind == kind


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("第3期の総合戦略はいつ策定される予定ですか？", "later_strategy"),
        ("健康ポイントって何と交換できると？", "reward"),
    ],
)
def test_a_later_strategy_and_how_to_use_a_service_are_declined(answerer, question: str, reason: str) -> None:
    reply = answerer.answer(Query(text=question))
    assert reply.kind == "out_of_scope" and reply.data["reason"] == reason, reply.text
    assert not re.search(r"[0-9０-９]", reply.text.split("\n")[0])  # a decline states no figure


def test_a_dialect_definition_after_a_katakana_term(answerer) -> None:
    assert answerer.answer(Query(text="Jターンてなんね？Uターンとどう違うと？")).kind == "glossary"


@pytest.mark.parametrize(
    ("question", "record"),
    [
        ("3つ目の基本目標の施策(2)は？", "g3-m2"),
        ("The second big goal, what is it about in short?", "goal-2"),
        ("What is basic goal 3?", "goal-3"),
    ],
)
def test_goals_by_ordinal(answerer, question: str, record: str) -> None:
    assert answerer.answer(Query(text=question)).data.get("record") == record


def test_when_in_the_askers_story_is_no_question_about_a_date(answerer) -> None:
    question = "We both work full time. When our kid gets sick we cannot take leave. Any childcare support?"
    assert answerer.answer(Query(text=question)).answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("彼女もおらんし出会いがないです。市は結婚の支援とかしてるんすか", True),
        ("音楽が好きな大学生です。熊本城ホールで何か新しいイベントをやる計画はありますか？", True),
        ("彼女いる？", False),
        ("今の会社やめて起業しようか迷ってます。やったほうがいいと思います？", False),
    ],
)
def test_chit_chat_is_judged_on_what_is_asked(answerer, question: str, answered: bool) -> None:
    assert answerer.answer(Query(text=question)).answered is answered


def test_an_english_question_is_searched_in_the_japanese_text(answerer) -> None:
    """Figures and statements only the running text prints are found through english_words.yaml;
    the 委員 inside 委員会 does not stand for 'members' too."""
    vacant = answerer.answer(Query(text="How many vacant houses did the city find in its survey?"))
    assert vacant.answered and "3,698件の空家等" in vacant.text
    scholarship = answerer.answer(Query(text="Does the city have its own scholarship you do not pay back?"))
    assert scholarship.answered and "返還不要" in scholarship.text
    chair = answerer.answer(Query(text="What is the name of the committee chair?"))
    assert not chair.answered
