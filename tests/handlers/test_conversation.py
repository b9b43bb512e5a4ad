"""Conversations through the real ``Answerer``: follow-ups keep the topic of the turns before them.

The memory is ``InMemory`` on a clock the tests advance (no waiting for a TTL to pass); every test
talks in conversations of its own (fresh keys), so the tests share one Answerer and never each
other's topics.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from handlers.conversation import InMemory
from handlers.dispatch import Answerer
from handlers.reply import Query, Reply
from strategy_data.database import connect

TTL = 30 * 60.0
CLARIFY = "どの項目についてのご質問でしょうか"


class Clock:
    """The memory's clock: seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def talker(
    built_db_master: Path, tmp_path_factory: pytest.TempPathFactory, clock: Clock
) -> Iterator[Answerer]:
    path = tmp_path_factory.mktemp("conversation-db") / "strategy.db"
    shutil.copyfile(built_db_master, path)
    db = connect(path)
    try:
        yield Answerer(db, memory=InMemory(clock), conversation_ttl=TTL)
    finally:
        db.close()


_keys = itertools.count(1)


class Chat:
    """One conversation: each call is a turn."""

    def __init__(self, answerer: Answerer, key: str | None = None):
        self.answerer = answerer
        self.key = key or f"test:u_conv{next(_keys)}"

    def __call__(self, text: str) -> Reply:
        return self.answerer.answer(Query(text=text, channel="test", conversation=self.key))


@pytest.fixture
def chat(talker: Answerer) -> Chat:
    return Chat(talker)


def kpi_id(reply: Reply) -> str | None:
    return reply.kpis[0].id if reply.kpis else None


# --- follow-ups about one KPI ----------------------------------------------------------------------


def test_follow_ups_about_births_keep_the_topic(chat: Chat) -> None:
    first = chat("出生数はどうなってる？")
    assert first.kind == "kpi" and kpi_id(first) == "births"
    target = chat("その目標は？")
    assert target.answered and kpi_id(target) == "births" and "7,000" in target.text
    baseline = chat("基準値は？")
    assert kpi_id(baseline) == "births" and "6,766" in baseline.text
    for question in ("単位は？", "何年度まで？"):
        reply = chat(question)
        assert reply.kind == "kpi" and kpi_id(reply) == "births", (question, reply.text)
    assert "単位：人" in reply.text and "R5(2023)" in reply.text
    first_term = chat("平成29年は？")
    assert kpi_id(first_term) == "births" and "6,746" in first_term.text
    for question in ("それに関する取組は？", "市は何をしてるの？"):
        reply = chat(question)
        assert reply.answered and reply.kind == "policy", (question, reply.text)


def test_what_the_city_does_right_after_a_kpi_is_a_policy_reply(chat: Chat) -> None:
    chat("出生数はどうなってる？")
    reply = chat("市は何をしてるの？")
    assert reply.answered and reply.kind == "policy"
    assert "出生数" in reply.text  # the goal whose numeric target the births are


def test_more_detail_after_a_policy_answer_is_a_longer_text_about_the_same_record(chat: Chat) -> None:
    policy = chat("基本目標2は？")
    assert policy.kind == "policy" and policy.data["record"]
    more = chat("もっと詳しく")
    assert more.answered and more.data["record"] == policy.data["record"]
    assert len(more.text) > len(policy.text) and more.text != policy.text


# --- lists -------------------------------------------------------------------------------------


def test_the_second_of_the_kpi_list(chat: Chat) -> None:
    listed = chat("KPI一覧")
    assert listed.kind == "kpi_list" and [f.id for f in listed.kpis][1] == "net-migration"
    second = chat("2番目の")
    assert second.answered and kpi_id(second) == "net-migration" and "年転入超過数" in second.text


@pytest.mark.parametrize("before", ["KPI一覧", "委員の一覧", "基本目標2のKPI一覧"])
def test_more_after_a_list_is_a_reply_never_an_error(chat: Chat, before: str) -> None:
    assert chat(before).answered
    for _ in range(3):  # past the end of the list too
        reply = chat("ほかには？")
        assert reply.kind not in ("error", "fallback") and reply.text, reply.text


def test_next_after_one_of_an_ordered_set_is_the_following_one(chat: Chat) -> None:
    assert chat("リーディングプロジェクト1は？").data["record"] == "project-1"
    for expected in ("project-2", "project-3", "project-4"):
        reply = chat("次")
        assert reply.answered and reply.data["record"] == expected, reply.text
    last = chat("次")  # past the last project: no error, no guess
    assert last.kind not in ("error", "fallback") and not last.kpis


def test_others_after_one_item_of_a_list_lists_the_rest(chat: Chat) -> None:
    chat("基本目標1の施策(4)は？")
    first = chat("その①は？")
    assert "中心市街地の活性化" in first.text
    rest = chat("ほかには？")
    assert "国内外からの観光客誘致" in rest.text and "シティプロモーション" in rest.text
    assert "中心市街地の活性化と回遊性" not in rest.text


def test_others_after_a_ranked_answer_offers_the_runner_up(chat: Chat) -> None:
    first = chat("空き家が増えてて心配。市は何をしてるの？")
    assert first.answered
    seen = {first.data["record"]}
    for _ in range(2):
        reply = chat("ほかには？")
        assert reply.kind not in ("error", "fallback", "clarify")
        if reply.answered and reply.data.get("record"):
            assert reply.data["record"] not in seen  # never the same record again
            seen.add(reply.data["record"])
    assert len(seen) >= 2


@pytest.mark.parametrize(
    ("follow_up", "restatement", "figure"),
    [
        ("その目標は？", "あ、ごめん、出生数の話です", "7,000"),
        ("で、平成29年は？", "企業立地件数の実績で", "141"),
        ("単位は？", "市内総生産額のです", "十億円"),
    ],
)
def test_the_topic_named_after_a_question_back_answers_the_follow_up(
    chat: Chat, follow_up: str, restatement: str, figure: str
) -> None:
    assert chat(follow_up).kind == "clarify"
    reply = chat(restatement)
    assert reply.answered and figure in reply.text, reply.text


@pytest.mark.parametrize(
    ("goal", "measure", "title"),
    [
        ("基本目標3は？", "施策１は？", "公共交通網の充実"),
        ("基本目標1は？", "その施策の(3)は？", "人材育成の支援"),
    ],
)
def test_a_measure_named_by_number_alone_is_of_the_goal_just_answered(
    chat: Chat, goal: str, measure: str, title: str
) -> None:
    chat(goal)
    reply = chat(measure)
    assert reply.answered and title in reply.text, reply.text


def test_items_are_picked_in_kana_and_by_year_in_latin(chat: Chat) -> None:
    chat("リーディングプロジェクトは？")
    assert chat("3つめ").data["record"] == "project-3"
    chat("観光客入込数は？")
    assert "5,018" in chat("H29の実績は").text


def test_the_year_after_and_before_the_one_asked(chat: Chat) -> None:
    chat("年転入超過数は？")
    assert "560" in chat("平成29年は？").text
    assert "-128" in chat("その次の年は？").text
    assert "560" in chat("前の年は？").text


def test_this_strategy_is_no_follow_up_and_stays_the_topic(chat: Chat) -> None:
    first = chat("この戦略っていつからいつまで？")
    assert first.answered and "2020" in first.text and "2023" in first.text
    law = chat("何の法律に基づいて作ったの？")
    assert law.answered and "まち・ひと・しごと創生法" in law.text


def test_the_second_one_in_detail_with_no_list_asks_which(chat: Chat) -> None:
    assert chat("2番目のやつもっと詳しく").kind == "clarify"


def test_the_kpi_of_a_measure_just_answered(chat: Chat) -> None:
    chat("基本目標1の施策(3)は？")
    reply = chat("そのKPIは？")
    assert reply.answered and [f.id for f in reply.kpis] == ["uij-employment"], reply.text


def test_a_measure_of_the_goal_just_answered(chat: Chat) -> None:
    chat("基本目標2は？")
    reply = chat("その施策(3)は？")
    assert reply.answered and reply.kind == "policy" and reply.data["record"] == "g2-m3"
    assert reply.text.startswith("基本目標2の施策(3)")


def test_the_same_aspect_of_another_kpi(chat: Chat) -> None:
    assert kpi_id(chat("待機児童の目標は？")) == "waiting-children"
    reply = chat("じゃあ観光消費額は？")
    assert kpi_id(reply) == "tourism-spending" and "852" in reply.text


def test_a_question_naming_a_new_topic_wins(chat: Chat) -> None:
    chat("出生数はどうなってる？")
    reply = chat("MICEとは？")
    assert reply.kind == "glossary" and reply.data["record"] == "term-mice" and "MICE" in reply.text


# --- no topic, or an expired one ---------------------------------------------------------------


def test_a_follow_up_without_a_topic_asks_which_one(chat: Chat) -> None:
    reply = chat("その目標は？")
    assert reply.kind == "clarify" and reply.answered is False
    assert CLARIFY in reply.text and reply.suggestions


def test_an_english_follow_up_without_a_topic_asks_which_one_in_english(chat: Chat) -> None:
    reply = chat("what about the baseline?")
    assert reply.kind == "clarify" and reply.answered is False
    assert reply.text.startswith("Which one do you mean?") and CLARIFY not in reply.text
    assert "What is the target for births?" in reply.suggestions
    assert "6,766" in chat("births").text  # the next turn names the topic: the baseline asked


def test_the_topic_expires_after_the_ttl(chat: Chat, clock: Clock) -> None:
    chat("出生数はどうなってる？")
    clock.advance(TTL - 60)
    assert "7,000" in chat("その目標は？").text  # still within the TTL (each turn renews it)
    clock.advance(TTL + 1)
    reply = chat("その目標は？")
    assert reply.kind == "clarify" and reply.answered is False


# --- suggestions -------------------------------------------------------------------------------


def test_suggestions_offer_what_has_not_been_asked_yet(chat: Chat) -> None:
    reply = chat("出生数の目標は？")
    assert {"出生数の基準値は？", "出生数の実績は？"} & set(reply.suggestions), reply.suggestions
    assert not any("目標は" in s and "出生数" in s for s in reply.suggestions), reply.suggestions
    after = chat("その基準値は？")
    assert "出生数の基準値は？" not in after.suggestions and "出生数の目標は？" not in after.suggestions


# --- English -----------------------------------------------------------------------------------


def test_an_english_conversation(chat: Chat) -> None:
    reply = chat("What is the target for births?")
    first_line = reply.text.splitlines()[0]
    assert reply.answered and first_line.startswith("Number of births"), first_line  # in English
    assert "Target" in reply.text and "7,000" in reply.text
    baseline = chat("and the baseline?")
    assert baseline.answered and kpi_id(baseline) == "births"
    assert "Baseline" in baseline.text and "6,766" in baseline.text


# --- conversations side by side ----------------------------------------------------------------


def test_two_conversations_interleaved_keep_their_own_topics(talker: Answerer) -> None:
    a, b = Chat(talker), Chat(talker)
    a("出生数はどうなってる？")
    b("観光消費額は？")
    b_target, a_target = b("その目標は？"), a("その目標は？")
    assert kpi_id(a_target) == "births" and "7,000" in a_target.text
    assert kpi_id(b_target) == "tourism-spending" and "852" in b_target.text
    assert kpi_id(a("基準値は？")) == "births" and kpi_id(b("基準値は？")) == "tourism-spending"


def test_without_a_conversation_key_every_question_stands_alone(talker: Answerer) -> None:
    talker.answer(Query(text="出生数はどうなってる？", channel="test"))
    reply = talker.answer(Query(text="その目標は？", channel="test"))
    assert not reply.answered and "7,000" not in reply.text


# --- follow-ups that name no record of their own --------------------------------------------------


def test_why_a_figure_went_as_it_did_is_asked_about_the_topic(chat: Chat) -> None:
    chat("地域活動に参加している市民の割合は？")
    reply = chat("増えた理由は？")
    assert reply.kind == "kpi" and "復旧・復興活動" in reply.text
    assert "41.2" in reply.text  # with its figures


def test_what_the_city_does_in_dialect_after_a_kpi_is_its_policy(chat: Chat) -> None:
    chat("待機児童っていまどれくらいいるんでしょうか")
    reply = chat("市はどう対策しとるとですか")
    assert reply.kind == "policy" and "保育士の確保" in reply.text


def test_where_a_term_is_put_to_work(chat: Chat) -> None:
    chat("DMOってなに？")
    reply = chat("熊本ではどこと組んでやると？")
    assert reply.kind == "policy" and "ＤＭＣ" in reply.text
    chat("低コスト耐候性ハウスって何ですか？")
    assert "7割以下" in chat("どのくらい安いの？").text  # the definition itself says it


def test_counting_on_through_the_list_picked_from(chat: Chat) -> None:
    chat("リーディングプロジェクトって何があると？")
    chat("2つ目をもっと詳しく")
    reply = chat("3つ目は？")
    assert reply.kind == "policy" and "健康コミュニティ都市" in reply.text
    chat("基本目標1の施策ってどんなのがある？")
    chat("3番目のは何？")
    assert "852" in chat("4つ目のKPIは？").text  # 交流人口の拡大's KPI, 観光消費額


def test_the_next_meeting_of_the_set_and_its_date(chat: Chat) -> None:
    chat("第2回の検証委員会では何を話し合ったと？")
    assert "8月7日" in chat("日にちは？").text
    assert "10月29日" in chat("次の回は？").text


def test_the_same_part_for_a_sibling_topic(chat: Chat) -> None:
    chat("国とはどんな連携をするんですか")
    reply = chat("じゃあ県とは？")
    assert reply.answered and "県市政策連携会議" in reply.text


def test_an_aspect_after_a_list_of_kpis_is_asked_of_each(chat: Chat) -> None:
    chat("出生数はどうなってる？")
    chat("基本目標1の数値目標を教えてください")
    reply = chat("基準値は？")  # both of the goal's indicators, not 出生数 from before the list
    assert reply.kind == "kpi_list" and "2,496" in reply.text and "494" in reply.text
    assert "6,766" not in reply.text
    assert "400" in chat("2番目の").text  # the list stays the topic


def test_the_member_found_by_a_description_is_the_topic(chat: Chat) -> None:
    chat("委員に観光の先生っている？")
    assert "東海大学" in chat("所属は？").text
    chat("大学の先生の委員は？")
    assert "熊本県立大学" in chat("2番目の人の所属は？").text


def test_where_a_product_is_sold_is_declined_after_its_kpi(chat: Chat) -> None:
    chat("産学連携で製品になった数ってどれくらい？")
    reply = chat("その製品ってどこで買えると？")
    assert reply.kind == "out_of_scope" and "お店" in reply.text


def test_the_first_term_said_in_everyday_words(chat: Chat) -> None:
    chat("出生数は？")
    assert "6,746" in chat("前の計画んときの平成29年はどうだったと？").text
    chat("自治会とかボランティアに参加してる市民ってどのくらいの割合？")
    assert "27.3" in chat("前の計画のスタート時点ではどれくらいだったの").text
    assert "第1期戦略の検証" in chat("どうしてそんなに増えたの？").text


def test_after_a_figure_from_the_text_the_topic_is_what_was_asked(chat: Chat) -> None:
    assert "3,698" in chat("空き家って市はどれくらい把握してるの？").text  # a first-term review says it
    reply = chat("それに関する取組は？")  # about 空き家 in this term, not the review's 施策
    assert reply.kind == "policy" and "空き家" in reply.text and "第1期" not in reply.text
    chat("健康ポイント事業ってどのプロジェクトに入ってるの")
    assert "取り組み：" in chat("そのプロジェクトではほかに何するの？").text  # the project's items
    chat("大学生です。熊本の大学出て県内で就職する人ってどれくらいいるんですか？")
    assert "結婚・子育て応援サイト" in chat("同じ施策でほかに指標ある？").text


def test_a_figure_declined_on_its_own_is_asked_of_the_kpi(chat: Chat) -> None:
    chat("東京で働いてて熊本にUターンを考えてます。市の移住就業の目標ってどのくらい？")
    assert "52" in chat("第1期のH29はどれくらい就職できたんですか").text
    reply = chat("移住支援金っていくらもらえますか")  # a sum of money the strategy never prints
    assert reply.kind == "out_of_scope"
    chat("町内会やらボランティアに出とる人の割合はどんくらいね")
    assert "第1期戦略の検証" in chat("なんでそぎゃん増えたと？").text  # そぎゃん: そんな (熊本弁)


def test_a_reason_a_partner_a_sibling_and_a_procedure_after_a_topic(chat: Chat) -> None:
    chat("居住誘導区域の人口密度の基準値は？")
    assert "第1期戦略の検証" in chat("第1期で達成できなかった要因は何と分析してる？").text
    assert "60.6" in chat("H29の実績は？").text  # still the KPI
    chat("国とはどうやって連携してるの？")
    assert "県市政策連携会議" in chat("県とは？").text  # 「県との連携」, without じゃあ
    chat("健康ポイント事業ってどのプロジェクトに入ってるの")
    assert chat("健康ポイントってどうやったら貯まるの？").kind == "out_of_scope"
    chat("わたしは ベトナムから きました。がいこくじんの そうだん できる ところ ありますか？")
    assert chat("その まどぐちの ばしょと でんわばんごう おしえて ください").kind == "out_of_scope"
    assert chat("ビザの こうしんは どこで できますか").kind == "out_of_scope"


def test_years_said_outright_and_this_term_named(chat: Chat) -> None:
    chat("熊本市って、引っ越してくる人と出ていく人どっちが多いんですか")
    assert "-128" in chat("その前の年、平成30年は？").text  # the year said outright wins
    chat("居住誘導区域の人口密度、第1期で目標届かなかった理由は？")
    assert "60.5" in chat("第2期の基準値は").text  # 第2期: this term's figure of the same KPI


def test_figures_of_the_first_strategy_keep_to_it_until_the_present_one_is_asked(chat: Chat) -> None:
    chat("第1期の年転入超過数、H29の目標値を教えてください")
    baseline = chat("基準値はいくつでした？")
    assert "第1期の基準値（人）：-37（H26）" in baseline.text, baseline.text
    chat("出生数は？")  # a new topic: the present strategy's again
    assert "第1期の基準値" not in chat("基準値は？").text


def test_that_time_and_a_year_without_its_era_mean_the_year_asked_last(chat: Chat) -> None:
    chat("正社員の有効求人倍率の第1期の平成29年の実績は？")
    assert "2017年（H29）の目標値：0.80倍" in chat("そん時の目標はいくつやった？").text
    chat("平成28年の出生数は何人でしたか")
    assert "6,746" in chat("29年は？").text
    assert "7,039（H26）" in chat("基準の年は？").text


def test_the_very_first_baseline_is_the_first_strategys(chat: Chat) -> None:
    chat("地域活動に参加した市民の割合は？")
    assert "第1期の基準値（％）：27.3（H27）" in chat("いちばん最初の基準は？").text


def test_aspect_words_and_a_name_typed_in_kana(chat: Chat) -> None:
    assert "7,000" in chat("しゅっせいすうの目標").text  # named by its reading: no question back
    assert "6,766" in chat("きじゅんちは？").text
    deadline = chat("何年度まで？")  # the topic's target year, not the strategy's period
    assert deadline.kind == "kpi" and "R5(2023)" in deadline.text


def test_how_a_figure_is_counted_and_which_year_it_is_from(chat: Chat) -> None:
    chat("元気な高齢者の割合の目標")
    assert "認定を受けていない" in chat("どうやって数えとると？").text
    chat("市内総生産額の目標")
    assert "2,496十億円（H27(2015)）" in chat("いまの数字はいつのやつ？").text


def test_the_nth_project_or_goal_counts_through_them_whatever_was_shown(chat: Chat) -> None:
    chat("この総合戦略ってどんな構成になっとると？")
    assert "農水産業の振興によるくまもと創生" in chat("2番目のは何のプロジェクト？").text
    assert "創業支援と地場企業の強化" in chat("じゃあ4番目は？").text
    chat("基本目標2の施策は？")
    assert chat("3番目の基本目標は？").text.startswith("基本目標3")


def test_pointing_at_nothing_with_only_verbs_asks_which(chat: Chat) -> None:
    assert chat("それって前と比べて増えとる？").kind == "clarify"
    assert "6,766" in chat("ごめん、赤ちゃんの生まれる数のこと").text


def test_a_figure_found_in_the_text_keeps_its_record_as_the_topic(chat: Chat) -> None:
    chat("連携中枢都市圏ってなんね？")
    assert "18市町村" in chat("熊本のは何市町村で作っとると？").text
    assert "経済成長のけん引" in chat("どんな取組をすると？").text  # 熊本 named no topic of its own


def test_the_year_before_the_cards_baseline_and_the_first_terms_last_year(chat: Chat) -> None:
    chat("正社員の求人倍率ってどがんなっとると？")  # baseline H30
    assert "2017年（H29）の実績：1.02倍" in chat("前の年は？").text
    chat("農家一戸あたりの出荷額の目標")
    assert "2019年（H31/R1）の目標値：968万円" in chat("第1期の最後の年の目標はいくらやった？").text
    chat("障がいのある人が一般就労した数の目標")
    assert "第1期の目標値（人）：63" in chat("前の期の目標は？").text


def test_another_term_after_a_meaning_asked_with_somosomo(chat: Chat) -> None:
    chat("UIJターンってそもそも何")
    assert "出身地とは違う地方" in chat("Jターンは？").text


def test_a_part_of_the_kpis_own_name_asks_about_it(chat: Chat) -> None:
    chat("元気な高齢者の割合っていう指標、目標は？")
    assert "要介護・要支援" in chat("元気ってどういう基準で数えとると？").text
    assert "77.98" in chat("平成29年は？").text


def test_a_goals_target_is_its_numeric_targets(chat: Chat) -> None:
    assert chat("きほんもくひょう3ってどんな内容？").text.startswith("基本目標3")
    targets = chat("その目標は？")
    assert "60.7" in targets.text and "44" in targets.text


def test_other_kpis_and_the_same_aspect_of_another_after_a_year(chat: Chat) -> None:
    chat("正社員の有効求人倍率は？")
    others = chat("ほかにはどんな指標があると？")
    assert others.kind == "kpi_list" and "企業立地件数" in others.text
    chat("元気な高齢者の割合っていう指標、目標は？")
    chat("平成29年は？")
    assert "117" in chat("じゃあ障がいのある人の就労は？").text  # its target, the aspect asked before


def test_the_strategy_named_in_a_first_question_and_a_new_topic_announced(chat: Chat) -> None:
    assert "4年間" in chat("熊本市の総合戦略って何年から何年まで？").text  # not 「どの項目？」
    chat("婚活とか子育ての市のサイトって、どれくらい見られてるの？")
    assert "病後児保育" in chat("話変わるけど、子どもが熱出したとき預かってくれるやつってある？").text


def test_a_figure_asked_after_the_kpis_policy_is_the_kpis(chat: Chat) -> None:
    chat("企業誘致の件数の目票は？")  # 目票: 目標 typed with a kanji of the same reading
    assert chat("それに関する取組は？").kind == "policy"
    year = chat("第1期の平成30年の目標と実績は？").text
    assert "144" in year and "158" in year


def test_a_first_term_years_actual_then_its_target(chat: Chat) -> None:
    chat("観光客入込数、平成30年の実績は？")
    assert "2018年（H30）の目標値：5,798" in chat("目標は？").text
    assert "観光消費額" in chat("第2期でも入込数がKPIなん？").text  # what the 2nd term measures instead


def test_whether_the_first_term_reached_it_and_its_lowest_actual(chat: Chat) -> None:
    chat("市内総生産の目標っていくら？")
    assert "達成に至らない見込み" in chat("第1期のときは目標達成できたんですか").text
    chat("バスとか市電の利用者数の目標ってある？")
    assert "52,015" in chat("第1期でいちばん少なかった実績は？").text


def test_the_projects_after_the_goals_and_the_project_related_to_a_kpi(chat: Chat) -> None:
    chat("基本目標はいくつ？")
    assert "創業支援と地場企業の強化" in chat("プロジェクトの方は？名前ざっと教えて").text
    chat("産学連携で製品化した数のKPIってあります？基準と目標を")
    assert "新製品・新技術研究開発助成" in chat("関係するリーディングプロジェクトではどんな支援すると？").text


def test_a_meetings_business_asked_after_its_date(chat: Chat) -> None:
    chat("検証委員会の第3回っていつ、どこであったの？")
    assert chat("議事は？").text.startswith("第3回検証委員会")


def test_a_kpi_named_beside_its_goals_reference_is_the_topic(chat: Chat) -> None:
    first = chat("基本目標3の数値目標、居住誘導区域の人口密度の目標値と基準値は？")
    assert first.kind == "kpi"  # not the goal's list: the reference only says where the KPI is
    assert "郊外部" in chat("第1期で達成できんかった理由は？").text
    assert "60.6" in chat("平成29年度の実績は？").text


def test_a_request_no_record_holds_is_declined_after_a_meeting(chat: Chat) -> None:
    chat("この戦略のパブリックコメントっていつやってました？")
    assert "2月14日" in chat("そのあとの第5回の委員会は？").text
    assert chat("その議事録をメールで送ってもらえますか").kind == "out_of_scope"  # not its agenda


def test_a_term_named_after_another_terms_meaning_is_explained(chat: Chat) -> None:
    chat("Society5.0ってこの戦略ではどう説明されてますか？")
    assert "Key Performance Indicator" in chat("KPIは？").text  # its meaning, not the KPI list
    assert chat("KPIは？").kind == "glossary"
    chat("待機児童の目標は？")
    assert chat("出生数は？").kind == "kpi"  # after a KPI, a KPI named is its card


def test_a_quoted_concept_after_a_kpi_is_a_topic_of_its_own(chat: Chat) -> None:
    chat("居住誘導区域の人口密度のKPIを教えてください")
    reply = chat("それに関連して「多核連携都市」ってどういう考え方？")
    assert "地域拠点" in reply.text and reply.kind != "kpi"  # the concept, not the KPI's card again


def test_the_kpis_of_a_policy_are_its_measures_then_each_baseline(chat: Chat) -> None:
    chat("バスの便の減って困っとります。公共交通のことはどがん書いてあるね？")
    kpis = chat("KPIは？")  # the 施策's KPIs, not what the word KPI means
    assert kpis.kind == "kpi_list" and "公共交通機関の年間利用者数" in kpis.text
    each = chat("基準値は？")  # of each of the two
    assert "53,721" in each.text and "60.5" in each.text


def test_the_kpi_after_a_terms_policy_is_the_terms(chat: Chat) -> None:
    chat("UIJターンってどういう意味？")
    chat("市はそれで何をしてるの？")
    reply = chat("KPIはある？")
    assert kpi_id(reply) == "uij-employment" and "90人" in reply.text


def test_a_word_pointing_at_part_of_a_name_asks_of_that_name(chat: Chat) -> None:
    chat("大学生の県内定着率の目標ってどのくらい？")
    chat("同じ施策のKPIでほかには？")
    unit = chat("そのアクセス数の単位は？")  # the second KPI listed, not the retention rate
    assert "万件" in unit.text and "応援サイト" in unit.text


def test_a_word_pointing_at_a_term_the_policy_uses_asks_of_that_term(chat: Chat) -> None:
    chat("農業の施策で主力品目ってどれが挙がっとると？")  # the policy naming 低コスト耐候性ハウス
    house = chat("そのハウスって普通のとどう違うとね")
    assert house.kind == "glossary" and "7割以下" in house.text
    assert chat("それはどがんハウス？").kind == "glossary"  # what kind of thing: its definition


def test_a_look_into_the_askers_own_case_is_declined(chat: Chat) -> None:
    chat("景観形成建造物ってなんですか")
    reply = chat("うちの家が景観形成建造物に指定されとるか調べてもらえんね")
    assert reply.kind == "out_of_scope" and "個別" in reply.text


def test_members_asked_by_organization_are_that_organizations(chat: Chat) -> None:
    reply = chat("熊本大学からは誰が入っとる？")
    assert "鈴木" in reply.text and "東海大学" not in reply.text  # not every university's member


def test_more_after_a_section_gives_the_rest_of_it(chat: Chat) -> None:
    chat("国のは「まち・ひと・しごと」なのに熊本市のは「しごと・ひと・まち」て順番ちがうのはなんで？")
    chat("自然減対策とか社会減対策って具体的に何すると？")
    rest = chat("ほかには？")  # the section's sentences not shown yet, not another record
    assert rest.kind == "overview" and "関係人口" in rest.text


def test_a_goals_measures_asked_in_order_go_on_with_next(chat: Chat) -> None:
    first = chat("基本目標1の施策を(1)から順に教えて")
    assert first.kind == "policy" and "魅力あるしごとの創出と働く環境の整備" in first.text
    assert "農水産業の振興" in chat("次").text.split("\n")[0]
    assert "人材育成の支援と人材の確保" in chat("次").text.split("\n")[0]
    kpis = chat("そのKPIは？")  # the KPI of 施策(3), not every KPI
    assert [k.id for k in kpis.kpis] and len(kpis.kpis) < 5 and "90" in kpis.text


def test_others_after_members_picked_out_are_the_rest_of_the_roster(chat: Chat) -> None:
    chat("委員は何人？")
    chat("その中で大学の先生は誰？")
    rest = chat("ほかには？")
    assert rest.answered and "熊本商工会議所" in rest.text and "熊本日日新聞社" in rest.text
    assert "東海大学" not in rest.text  # the university members were the list just shown


def test_a_measure_asked_after_a_goals_kpi_is_that_goals_and_then_its_kpis(chat: Chat) -> None:
    chat("居住誘導区域の人口密度の目標値は？")
    measure = chat("その施策(2)は？")
    assert measure.kind == "policy" and "安心して暮らせるまちづくりの推進" in measure.text
    kpis = chat("そのKPIは？")  # the measure's KPIs, not the density asked before it
    assert "元気な高齢者" in kpis.text and "一般就労" in kpis.text


def test_the_policy_behind_a_kpi_asked_in_kana_with_spaces(chat: Chat) -> None:
    chat("65さいいじょうで げんきな ひとの わりあいの もくひょうは？")
    policy = chat("それに かんする とりくみは？")
    assert policy.kind == "policy" and "高齢者" in policy.text


def test_another_kpi_after_a_years_figures_is_asked_for_that_year(chat: Chat) -> None:
    chat("大学と企業の連携で製品化した数ってわかる？")
    chat("平成29年は？")
    other = chat("じゃあ企業立地件数は？")
    assert kpi_id(other) == "business-locations"
    assert "141" in other.text and "194" in other.text  # that year's actual, and the target beside it


def test_projects_asked_one_by_one_go_on_with_next(chat: Chat) -> None:
    first = chat("リーディングプロジェクトを1つずつ教えて")
    assert first.text.startswith("リーディングプロジェクトⅠ")
    assert chat("次").text.startswith("リーディングプロジェクトⅡ")
    assert chat("次").text.startswith("リーディングプロジェクトⅢ")


def test_others_after_some_bullets_of_an_item_give_all_of_it(chat: Chat) -> None:
    first = chat("主力品目は？")
    assert "なす" in first.text and "集出荷施設" not in first.text  # the bullets the message holds
    assert "集出荷施設" in chat("ほかには？").text


def test_this_years_figure_asked_after_a_kpi_is_declined(chat: Chat) -> None:
    chat("観光消費額の目標は？")
    reply = chat("今年の観光消費額は？")
    assert reply.kind == "out_of_scope" and "計画期間はすでに終了" in reply.text


def test_figures_asked_after_a_goal_with_one_numeric_target_are_that_kpis(chat: Chat) -> None:
    goal = chat("基本目標2は？")
    assert "出生数（基準値6,766人→目標値7,000人以上）" in goal.text  # the goal's card gives its figures
    assert "6,746" in chat("平成29年は？").text  # the first term's figure of 出生数


def test_which_project_or_goal_a_topic_belongs_to(chat: Chat) -> None:
    chat("健康ポイント事業って？")
    assert chat("どのプロジェクト？").text.startswith("リーディングプロジェクトⅢ")
    chat("待機児童数の目標は？")
    assert chat("それはどの基本目標？").text.startswith("基本目標2")


def test_kpis_asked_in_a_sentence_after_a_measure_are_its_own(chat: Chat) -> None:
    chat("基本目標2の施策(3)は？")
    reply = chat("KPIは何が設定されてますか")
    assert reply.kind == "kpi_list" and "県内定着率" in reply.text


def test_more_about_a_term_gives_how_the_strategy_uses_it(chat: Chat) -> None:
    chat("DMOって何？")
    more = chat("もっと詳しく")
    assert "戦略の中での使われ方" in more.text and "くまもとＤＭＣ" in more.text


def test_more_about_a_kpi_adds_the_policy_that_moves_it(chat: Chat) -> None:
    chat("UIJサポートデスクの就業者数は？")
    more = chat("もっと詳しく")
    assert "51人" in more.text and "【関連する取組】" in more.text and "移住就業" in more.text


def test_a_project_named_by_its_field_is_its_card_not_the_list(chat: Chat) -> None:
    reply = chat("農水産業のプロジェクトってどんなの？")
    assert "リーディングプロジェクトⅡ" in reply.text and "4つのプロジェクト" not in reply.text


def test_a_parenthesized_number_after_a_part_is_its_sibling(chat: Chat) -> None:
    chat("健康・医療・福祉のプロジェクトを教えて")
    assert "移住受入・支援体制の整備" in chat("その(2)は？").text
    assert "ヘルスケア産業の振興" in chat("(3)は？").text  # the project's (3), not ③ of (2)


def test_numeric_targets_after_a_measure_are_its_goals(chat: Chat) -> None:
    chat("基本目標1の施策(2)を教えて")
    reply = chat("数値目標は？")  # a 施策 has KPIs; 数値目標 are its 基本目標's
    assert "市内総生産額" in reply.text and "年転入超過数" in reply.text


def test_what_else_is_done_about_a_kpis_topic_stays_with_its_policy(chat: Chat) -> None:
    chat("障がいのある人の一般就労のKPIは？")
    reply = chat("雇用のことでほかに何をすると？")  # 「雇用」 alone would be LP4's 雇用の安定
    assert "企業意識の高揚" in reply.text


def test_a_new_topic_named_after_else_wins_over_the_last(chat: Chat) -> None:
    chat("市は空き家対策って何かしてますか")
    assert "耐震" in chat("じゃあ地震への備えでは何しよる？").text


def test_how_many_after_a_term_is_the_sentence_counting_it(chat: Chat) -> None:
    chat("連携中枢都市圏ってなんのこと？")
    assert "18市町村" in chat("熊本のは何市町村で構成されとると？").text
    chat("人口ビジョンの将来展望では、人口を何人維持するって？")
    assert chat("いまの熊本市の人口は何人？").kind == "out_of_scope"  # today's figure is not printed


def test_what_a_term_is_for_is_where_the_strategy_uses_it(chat: Chat) -> None:
    chat("低コスト耐候性ハウスってなん？")
    assert "気象災害" in chat("なんのために入れると？").text


def test_why_a_policy_is_pursued_is_its_own_text(chat: Chat) -> None:
    chat("医工連携ってなんのこと？")
    assert "安定的成長" in chat("なんでそれに力を入れると？").text


def test_since_when_a_cumulative_kpi_counts_is_its_note(chat: Chat) -> None:
    chat("企業立地件数（累計）のKPIを教えて")
    assert "平成11年度" in chat("累計っていつからの件数なん？").text


def test_a_sibling_named_by_its_title_is_that_sibling(chat: Chat) -> None:
    chat("スマート農業ってどんなことをすると？")
    reply = chat("担い手の育成は？")  # the project's (1)③, not 基本目標1's 担い手 item
    assert "(1)③「担い手の育成・確保」" in reply.text and "技術継承" in reply.text


def test_related_kpis_after_a_policy_are_its_own(chat: Chat) -> None:
    chat("公共交通ネットワークの施策はどがんなっとる？")
    assert "公共交通機関の年間利用者数" in chat("じゃあ関連するKPIは？").text


def test_the_policy_behind_a_kpi_is_the_item_it_measures(chat: Chat) -> None:
    chat("産学連携とかで製品化した数のKPI、目標は何件？")
    reply = chat("それに関する取組は？")  # the 施策 has several KPIs: this one measures its ①
    assert "の①「新事業の創出支援" in reply.text


def test_another_kpi_asked_while_on_the_first_term_stays_there(chat: Chat) -> None:
    chat("第1期の企業立地件数、平成30年度の目標はいくつやった？")
    chat("実績は？")
    assert "第1期の実績" in chat("じゃあ製品化件数は？").text
