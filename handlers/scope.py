"""What the strategy does not cover: questions declined before and after ranking.

``ScopeRules`` is mixed into the answer pipeline. Before ranking, by what is asked (weather, fees,
hours, places, procedures, contact details, chit-chat, another city named in the question itself);
after ranking, by what the chosen record cannot say (a year it has no figure for, a person it does
not name, a figure it does not state, a KPI the question does not mean).
"""

from __future__ import annotations

import re

from handlers import fallback
from handlers.corpus import Corpus
from handlers.passage import states
from handlers.reply import Reply
from handlers.suggest import examples, related
from nlp.analyze import Analyzed
from nlp.clauses import ask_start
from nlp.cues import NO_SUCH_REF
from nlp.index import Index
from nlp.intent import Intent
from nlp.normalize import normalize
from nlp.ranking import Candidate, rank
from nlp.scope_cues import (
    ADVICE,
    BREAKDOWN,
    CHITCHAT,
    COVID,
    FIGURE_SHARE,
    LATER_STRATEGY,
    OTHER_PLACE_EN,
    OTHER_PLACE_JA,
)
from nlp.tokenize import STOP_LEMMAS, english_lemma

# a cost stated as a share of another's (「設置コストが…鉄骨ハウスの7割以下」): what 「費用はいくら」 can get
_COST_COMPARED = re.compile(r"(コスト|費用)[^。]{0,30}?[0-9]+(割|%|パーセント)")
KPI_COVERAGE = 0.65
KPI_COVERAGE_PHRASED = 0.5
PHRASED = 0.75  # phrase strength of a KPI's own everyday wording found in the question
PHRASED_EN = 0.6  # the same in English, where everyday names are matched more loosely
KPI_COVERAGE_EN = 0.45
NEAR_EN = 0.6  # of the best KPI's score: another KPI this near leaves the English question open
DESCRIBED = 0.75  # confidence at which a KPI described in other words is taken as meant
DESCRIBED_CLEARLY = 0.6  # the same, when no other KPI fits the description nearly as well
_PLACE_SUFFIX = ("市", "町", "村", "県", "府", "都", "道", "区")
_ATTEND = re.compile(r"傍聴|見学|参加")  # sitting in on a meeting: how to apply is not printed
# the asked part is about what the city does: 「市は自治会に力を入れてる？」
_ASKS_CITY = re.compile(r"(熊本市|市|行政)(は|では|で|が|として|も|の方で)")


_OWN_STORY = re.compile(r"^(うち|私|わたし|僕|ぼく|俺|自分|実家|家)(は|の|で|も)")
_SENTENCE_END = re.compile(r"(?<=[。?？!！])")


def _without_own_story(normalized: str) -> str:
    """The question without the sentences that tell the asker's own story (「うちは北区で…」)."""
    parts = _SENTENCE_END.split(normalized)
    return "".join(p for p in parts if not _OWN_STORY.match(p.strip()))


class ScopeRules:
    corpus: Corpus
    index: Index
    contact: str

    def _decline_before_ranking(self, intent: Intent, analyzed: Analyzed) -> Reply | None:
        reason = None
        if intent.weather:
            reason = "weather"
        elif intent.garbage:
            reason = "garbage"
        elif intent.asks_fee:
            reason = "fee"
        elif intent.asks_hours and not intent.committee:
            reason = "hours"
        elif intent.asks_location and not intent.committee:
            reason = "location"
        elif intent.budget:
            reason = "budget"  # 「この戦略の予算は総額いくら？」
        elif intent.reputation:
            reason = "reputation"  # 「評判のいい事業所を教えて」
        elif intent.reward:
            reason = "reward"  # 「健康ポイントで何がもらえる？」
        elif intent.completion:
            reason = "when"  # 「熊本城が全部元通りになるのは何年？」
        elif intent.attendance and intent.committee:
            reason = "attendance"  # 「第2回には何人出席したと？」
        elif intent.remarks and intent.committee:
            reason = "remarks"  # 「第4回の委員会でどんな意見が出た？」
        elif intent.asks_shop:
            reason = "shop"
        elif intent.asks_company:
            reason = "company"  # 「どこの企業の本社が来ると？」
        elif intent.place_names:
            reason = "place_names"  # 「その18市町村の名前を全部並べて」
        elif COVID.search(self._asked_part(analyzed)):
            # 「コロナでどんくらい減ったとやろ？」 (a story of it is context: 「コロナで職を…」)
            reason = "covid"
        elif intent.asks_country:
            reason = "country"  # 「熊本空港の国際便ってどこの国に飛んでるの？」
        elif intent.advice and not self._story_then_city(analyzed):
            reason = "advice"
        elif intent.opinion:
            reason = "opinion"  # 「正直、この戦略はうまくいったと思う？」: the bot judges nothing
        elif intent.chitchat and CHITCHAT.search(self._asked_part(analyzed)):
            # 「彼女もおらんし出会いがないです。市は結婚の支援とかしてるんすか」: the story is not chit-chat
            reason = "chitchat"
        elif intent.procedure and (not intent.committee or _ATTEND.search(analyzed.normalized)):
            reason = "procedure"  # (the rules' own procedures are answered, not how to sit in on a meeting)
        elif intent.asks_contact:
            reason = "contact"
        elif intent.lookup:
            reason = "lookup"  # 「うちの家が景観形成建造物に指定されとるか調べてもらえんね」
        elif intent.frequency:
            reason = "when"  # 「その会議は年に何回開かれよると？」: the meetings are listed, not how often
        elif (
            intent.breakdown
            # (a ward in the asker's own story is not asked: 「うちは北区で西瓜ば作りよる」)
            and BREAKDOWN.search(_without_own_story(analyzed.normalized))
            and (intent.kpi or intent.asks_amount or "多い" in analyzed.normalized)
        ):
            reason = "figure"  # 「待機児童はどの区が一番多い？」: the strategy has city-wide figures only
        elif "内訳" in analyzed.normalized or (
            FIGURE_SHARE.search(analyzed.normalized) and (intent.kpi or intent.asks_amount or intent.counter)
        ):
            reason = "figure"  # 「観光消費額の目標852億円のうち、外国人の分は何億円？」: totals only
        elif intent.breakdown and intent.list:
            reason = "ward"  # 「南区にある事業所の一覧」: nor lists of one ward's facilities
        elif self._other_place(analyzed):
            reason = "other_place"
        elif LATER_STRATEGY.search(analyzed.normalized):
            reason = "later_strategy"  # 「第3期の総合戦略はいつ策定される？」
        elif NO_SUCH_REF.search(analyzed.normalized):
            reason = "no_such"  # 「基本目標4は？」: the strategy has three
        if reason is None:
            return None
        suggestions = examples()
        if reason == "other_place":  # the same question about Kumamoto City
            suggestions = related(self.corpus, rank(self.index, analyzed, intent))
        elif reason == "no_such":  # the parts it does have
            suggestions = ["基本目標は？", "リーディングプロジェクトは？", "KPI一覧"]
        return fallback.out_of_scope(reason, self.contact, suggestions)

    def _asked_part(self, analyzed: Analyzed) -> str:
        """The asked part of the question (its last question, or last sentence), as written."""
        tokens = analyzed.tokens
        start = ask_start(tokens, analyzed.normalized)
        return "".join(t.surface for t in tokens[start:]) if start < len(tokens) else analyzed.normalized

    def _story_then_city(self, analyzed: Analyzed) -> bool:
        """A dilemma told as context, then a question about the city's policy: 「町内会に入るべきか
        迷ってます。市は自治会に力を入れてる？」 asks what the city does, not for advice."""
        asked = self._asked_part(analyzed)
        return (
            asked != analyzed.normalized and not ADVICE.search(asked) and _ASKS_CITY.search(asked) is not None
        )

    def _other_place(self, analyzed: Analyzed) -> bool:
        """Another municipality (鹿児島市, 東京都…): a place name the strategy does not use as such."""
        if OTHER_PLACE_JA.search(self._asked_part(analyzed)):
            return True  # 「政令市で1位はどこの市？」
        for m in OTHER_PLACE_EN.finditer(analyzed.normalized):
            word = m.group(1)  # 「Fukuoka City」, not 「gross city product」 nor 「for city」
            if english_lemma(word) not in self.index.vocabulary and word not in STOP_LEMMAS:
                return True
        tokens = analyzed.tokens
        corpus = self.index.corpus_text
        # 「福岡出身で…。Jターンって何？」: the asker's own story is not the question
        asked = ask_start(tokens, analyzed.normalized)
        for i, t in enumerate(tokens):
            if i < asked or not t.is_place:
                continue
            nxt = tokens[i + 1].surface if i + 1 < len(tokens) else ""
            if nxt in _PLACE_SUFFIX and (t.surface + nxt) not in corpus:
                return True
            if t.surface not in corpus and normalize(t.surface) not in corpus and t.lemma not in corpus:
                return True  # (「にほんご」 spells 日本, which the strategy names: not another place)
        return False

    def _decline_after_ranking(
        self, intent: Intent, top: Candidate, second: Candidate | None, candidates: list[Candidate]
    ) -> str | None:
        doc = top.doc
        second_kpi = next((c for c in candidates if c.doc.group == "kpi" and c.doc.id != doc.id), None)
        coverage = top.coverage if second is None else top.joint_coverage(second)
        if intent.years and doc.group == "kpi" and doc.years:
            # a KPI answers any year it has figures around (the nearest printed ones), none past them
            if any(y < min(doc.years) or y > max(doc.years) for y in intent.years):
                return "year"
        elif intent.years and any(y not in doc.years for y in intent.years):
            return "year"
        if intent.prefecture and not any("県" in name for name, *_ in doc.names):
            return "other_place"  # 「熊本県全体で去年生まれた赤ちゃんは？」: the city's 出生数 is not it
        if (
            intent.asks_who
            and not intent.definition
            and not (
                doc.is_person
                or (doc.kind == "committee" and not intent.asks_chair)
                or (doc.group == "overview" and intent.about_strategy and not intent.asks_chair)
            )
        ):  # a rule says how the chair is chosen, not who it is: 「委員長は誰？」 is not printed, nor
            # who was mayor when the strategy was made
            return "who"
        if intent.attendance and doc.group == "committee":
            return "attendance"
        if intent.remarks and (doc.group == "committee" or doc.is_person):
            return "remarks"  # 「澤田先生はどんな意見を言ったの？」
        if intent.subsidy and doc.group == "kpi" and (intent.counter or intent.asks_amount):
            return "figure"  # 「企業立地の補助金はいくら出る？」: a KPI counts, it states no subsidy
        if (intent.asks_amount or intent.counter) and _asks_unknown_noun(top):
            return "figure"  # 「委員はどれくらい報酬をもらってる？」: 報酬 is nowhere in the strategy
        recent = intent.current_period or intent.last_period
        if recent and (doc.group == "kpi" or intent.kpi or intent.asks_amount):
            return "now"  # 「今月の求人倍率は？」: the data holds no figure of this month or year
        if intent.asks_now and intent.kpi and doc.group not in ("kpi", "committee"):
            return "now"
        if doc.group == "kpi" and not top.named:
            # a figure answers only a question that means it and that it explains: one that names
            # the KPI, or describes it so fully that nothing else is meant (「工場やオフィスを構えた
            # 会社の数」 is 企業立地件数)
            # no other KPI near it, or none but one found by the asker's situation alone (「うちは
            # 町工場で…製品になった件数の目標は？」: the factory is context, 企業立地件数 no rival)
            clear = second_kpi is None or second_kpi.score <= 0.5 * top.score or not _asked_of(second_kpi)
            described = top.confidence >= (DESCRIBED_CLEARLY if clear else DESCRIBED)
            # a KPI matched by a phrase of its own, with no other KPI near it, needs less of the
            # question explained (「ほいくえん入れん子って今なんにん？」: 子 is the asker's word)
            needed = KPI_COVERAGE_PHRASED if clear and top.phrase >= PHRASED else KPI_COVERAGE
            if (
                intent.english
                and top.phrase >= PHRASED_EN
                and (second_kpi is None or second_kpi.score <= NEAR_EN * top.score)
            ):
                # English puts more words around the name (「My lab works with local companies. How
                # many products…」), and stems miss more of them: a phrase of the KPI's own needs less
                needed = KPI_COVERAGE_EN
            if coverage < needed or (top.phrase == 0 and not described):
                return "figure"
            if top.phrase == 0 and second_kpi is not None and second_kpi.score >= 0.8 * top.score:
                return "figure"  # 「人口は何人」 describes several KPIs about as well: none is meant
        counted = doc.group in ("policy", "glossary", "overview") or (
            doc.group == "committee" and intent.counter != "人"  # 「何人出席すれば」: 半数以上
        )
        body = self.index.compact_body[top.index]
        # 「移住支援金はいくら？」: the policy is there, the amount is not; but 「耐候性ハウスの費用は
        # どれくらい？」 is answered by its cost stated against another's (7割以下)
        compared = intent.counter == "円" and _COST_COMPARED.search(body)
        if intent.counter and counted and not self._states(top, intent.counter) and not compared:
            return "figure"
        if intent.subsidy and counted and "補助" not in body and "助成" not in body:
            return "figure"  # 「耐候性ハウスの補助率は何割？」: the term's 7割 is a cost, not a subsidy
        if intent.asks_when and not doc.has_dates and doc.group != "committee":
            return "when"
        return None

    def _states(self, c: Candidate, counter: str) -> bool:
        """Whether the record states a figure counted in ``counter`` (円, 人, 件…)."""
        return states(self.index.compact_body[c.index], counter)  # compact: normalized already


_KANJI_WORD = re.compile(r"[一-龥]{2,}")
# nouns that say which figure of a record is meant, not a new thing (「総額」「最後の年」「全国の順位」)
_FIGURE_WORDS = frozenset(
    {"総額", "合計", "総数", "平均", "最後", "最初", "最終", "順位"}
    | {"全体", "実際", "数字", "数値", "目安", "年間", "毎年", "全国"}
)


def _asks_unknown_noun(c: Candidate) -> bool:
    """The question asks about a plain noun the strategy never uses and ``c`` does not explain
    (「報酬」「固定資産税」): its amount cannot be in the record, however well the rest is named. Only
    kanji common nouns count (not 普通 or 実際, which qualify, nor a unit or a mis-split kana run)."""
    return any(
        t.token.pos2 == "普通名詞"
        and t.token.pos3 == "一般"
        and _KANJI_WORD.fullmatch(t.token.surface)
        and t.lemma not in _FIGURE_WORDS
        for t in c.unknown_asked
    )


def _asked_of(c: Candidate) -> bool:
    """Whether ``c`` explains any word of the question itself, not only of the situation before it."""
    return any(k < len(c.topics) and not c.topics[k].context for k, idf in c.covered.items() if idf > 0)
