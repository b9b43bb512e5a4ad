"""The kind of answer a question wants, and the references and constraints it carries.

Cues are matched on normalized text (NFKC, case-folded). They decide the *kind* of answer
(a definition, a KPI figure, a policy, committee facts, a list, help, a greeting); what the
question is *about* is decided by ranking over the strategy records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from nlp.cues import (
    _ABOUT_STRATEGY,
    _ARTICLE_REF,
    _GOAL_REF,
    _MEASURE_REF,
    _MEETING_REF,
    _PROJECT_REF,
    COMMITTEE,
    DEFINITION,
    ENGLISH_FIGURE,
    FIRST_TERM,
    FIRST_TERM_NAMED,
    GREETING_WORDS,
    HELP,
    KPI,
    KPI_WORD,
    LIST,
    MEETING_HISTORY,
    NEXT_MEETING,
    POLICY,
    STATUS,
    _num,
)
from nlp.scope_cues import (
    _COUNTERS,
    ACHIEVED,
    ADVICE,
    ASKS_AMOUNT,
    ASKS_CHAIR,
    ASKS_COMPANY,
    ASKS_CONTACT,
    ASKS_COUNTRY,
    ASKS_FEE,
    ASKS_HOURS,
    ASKS_LOCATION,
    ASKS_NAME_OF,
    ASKS_NOW,
    ASKS_SHOP,
    ASKS_WHEN,
    ASKS_WHO,
    ATTENDANCE,
    BREAKDOWN,
    BUDGET,
    CHITCHAT,
    COMPLETION,
    CURRENT_PERIOD,
    FOUNDED,
    FREQUENCY,
    GARBAGE,
    LAST_PERIOD,
    LOOKUP,
    OPINION,
    OWN_CASE,
    PLACE_ASKED,
    PLACE_NAMES,
    PREFECTURE_ASKED,
    PREFECTURE_TOGETHER,
    PROCEDURE,
    REASON,
    REMARKS,
    REPUTATION,
    REWARD,
    SUBSIDY,
    WEATHER,
)
from nlp.years import find_years

StatusWord = Literal["達成", "順調", "遅れ"]


@dataclass(frozen=True)
class Intent:
    definition: bool = False
    kpi: bool = False
    policy: bool = False
    committee: bool = False
    list: bool = False
    kpi_word: bool = False
    help: bool = False
    greeting: bool = False  # the whole text is a greeting or thanks
    next_meeting: bool = False
    meeting_history: bool = False
    status: StatusWord | None = None
    asks_when: bool = False
    first_term: bool = False  # the first term's figures are wanted too
    first_term_named: bool = False  # the first term is named outright (第1期, 前の戦略)
    asks_now: bool = False  # a current figure: the strategy has none but staff-entered KPI actuals
    asks_who: bool = False
    asks_location: bool = False
    asks_shop: bool = False  # where a product is sold
    asks_company: bool = False  # which firms (「どこの企業が来る」): none is named
    place_names: bool = False  # every municipality by name (「18市町村の名前を全部」): only counted
    asks_country: bool = False  # which countries (flights, visitors): the strategy names none
    asks_chair: bool = False  # who chairs the committee: the rules say how the chair is chosen, not who
    asks_fee: bool = False
    procedure: bool = False
    asks_contact: bool = False  # a phone number, an address to write to, a web page
    lookup: bool = False  # a request to look into the asker's own case
    frequency: bool = False  # how often something is held
    asks_hours: bool = False
    remarks: bool = False  # what members said at a meeting (the minutes are not in the data)
    budget: bool = False
    attendance: bool = False  # how many attended a meeting
    reputation: bool = False  # which provider is well spoken of
    reward: bool = False  # what a scheme gives (points, perks)
    completion: bool = False  # when a restoration or building is finished
    current_period: bool = False  # a figure of this year or month, which the data cannot hold
    last_period: bool = False  # of last year or month: the same, a year further back
    weather: bool = False
    garbage: bool = False
    chitchat: bool = False
    opinion: bool = False  # the bot's own view (「あんたはどう思う？」): it has none to give
    prefecture: bool = False  # the prefecture's own figure or plan (「熊本県全体で…」), not the city's
    advice: bool = False  # personal, medical or legal advice
    years: list[int] = field(default_factory=list)
    counter: str | None = None  # the unit a figure is asked in: 円, 人, 件…
    subsidy: bool = False  # a subsidy's amount or rate is asked for
    asks_amount: bool = False  # an amount in any unit (「利用者数は？」「どのくらい？」)
    breakdown: bool = False  # by ward or school district (「どの区が一番多い？」)
    reason: bool = False  # why a figure went as it did (the first term's review says)
    achieved: bool = False  # whether a target was reached (「目標は達成できたの？」): the review says
    english: bool = False  # asked in English
    founded: bool = False  # when something was set up (a date printed beside its founding)
    about_strategy: bool = False  # the question is about the strategy itself (who made it, when)
    goal_ref: int | None = None
    project_ref: int | None = None
    measure_ref: int | None = None
    meeting_ref: int | None = None
    article_ref: int | None = None

    @property
    def wants_kpi_list(self) -> bool:
        return self.kpi_word and (self.list or self.status is not None or self.goal_ref is not None)


_JAPANESE = re.compile(r"[ぁ-ゖァ-ヺ一-鿿]")


def is_english(normalized: str) -> bool:
    """Asked in English: Latin words, with at most a name in Japanese (「target for 市内総生産額?」)."""
    latin = len(re.findall(r"[a-z]", normalized))
    words = len(re.findall(r"[a-z]{2,}", normalized))
    japanese = len(_JAPANESE.findall(normalized))
    if latin >= 3 and japanese * 3 < latin and (words >= 2 or not japanese):
        return True  # (「MICEも？」 is a Japanese question about one English name)
    # 「which places are the 国際観光重点地域?」: an English sentence around one or two Japanese names
    runs = len(re.findall(r"[ぁ-ゖァ-ヺ一-鿿㐀-䶿ー]+", normalized))
    return words >= 3 and runs <= 2 and words >= 3 * runs


_STATEMENT = re.compile(r"[^。?？!！]*?(。|\.(?=\s))")  # 「…します。」, 「We moved here last year. 」


def _asked_sentences(normalized: str) -> str:
    """The question without the statements before it (「今年の4月から復職します。」 is the story)."""
    asked = _STATEMENT.sub(" ", normalized)
    return asked if asked.strip() else normalized


def detect(normalized: str) -> Intent:
    """The intent of a normalized question."""
    t = normalized
    asked = _asked_sentences(t)
    years = find_years(t)
    greeting_rest = re.sub(r"[\s!！?？。、.,~〜ー♪☆★w笑]+", "", GREETING_WORDS.sub("", t))
    m_goal = _GOAL_REF.search(t)
    m_project = _PROJECT_REF.search(t)
    m_measure = _MEASURE_REF.search(t)
    m_meeting = _MEETING_REF.search(t)
    m_article = _ARTICLE_REF.search(t)
    status: StatusWord | None = None
    for word, rx in STATUS:
        if rx.search(t):
            status = word  # type: ignore[assignment]
            break
    committee = bool(COMMITTEE.search(t)) or m_meeting is not None or m_article is not None
    return Intent(
        # 「what is the target…」 asks for a figure, 「what is MICE」 for a definition
        definition=bool(DEFINITION.search(t))
        and not ((t.isascii() and ENGLISH_FIGURE.search(t)) or ASKS_NAME_OF.search(t)),
        kpi=bool(KPI.search(t)),
        policy=bool(POLICY.search(t)),
        committee=committee,
        list=bool(LIST.search(t)),
        kpi_word=bool(KPI_WORD.search(t)),
        help=bool(HELP.search(t)),
        greeting=bool(GREETING_WORDS.search(t)) and greeting_rest == "",
        next_meeting=bool(NEXT_MEETING.search(t)),
        meeting_history=bool(MEETING_HISTORY.search(t)),
        status=status,
        asks_when=bool(ASKS_WHEN.search(t)),
        asks_now=bool(ASKS_NOW.search(t)),
        remarks=bool(REMARKS.search(t)),
        budget=bool(BUDGET.search(t)),
        attendance=bool(ATTENDANCE.search(t)),
        reputation=bool(REPUTATION.search(t)),
        reward=bool(REWARD.search(t)),
        completion=bool(COMPLETION.search(t)),
        current_period=bool(CURRENT_PERIOD.search(asked)),
        # (a year written says which is meant: 「the last year (H31 / 2019)」 of the first term)
        last_period=bool(LAST_PERIOD.search(asked)) and not years,
        first_term=bool(FIRST_TERM.search(t)),
        first_term_named=bool(FIRST_TERM_NAMED.search(t)),
        asks_who=bool(ASKS_WHO.search(t)),
        asks_location=bool(ASKS_LOCATION.search(t))
        or (bool(PLACE_ASKED.search(t)) and not DEFINITION.search(t)),
        asks_shop=bool(ASKS_SHOP.search(t)),
        asks_company=bool(ASKS_COMPANY.search(t)),
        place_names=bool(PLACE_NAMES.search(t)),
        asks_country=bool(ASKS_COUNTRY.search(asked)),
        asks_chair=bool(ASKS_CHAIR.search(t)),
        asks_fee=bool(ASKS_FEE.search(t)),
        procedure=bool(PROCEDURE.search(t)),
        asks_contact=bool(ASKS_CONTACT.search(t)),
        lookup=bool(LOOKUP.search(t) and OWN_CASE.search(t)),
        frequency=bool(FREQUENCY.search(t)),
        asks_hours=bool(ASKS_HOURS.search(t)),
        weather=bool(WEATHER.search(t)),
        garbage=bool(GARBAGE.search(t)),
        chitchat=bool(CHITCHAT.search(t)),
        opinion=bool(OPINION.search(t)),
        prefecture=bool(PREFECTURE_ASKED.search(t)) and not PREFECTURE_TOGETHER.search(t),
        advice=bool(ADVICE.search(t)),
        years=years,
        counter=next((unit for unit, rx in _COUNTERS if rx.search(t)), None),
        subsidy=bool(SUBSIDY.search(t)),
        asks_amount=bool(ASKS_AMOUNT.search(t)),
        breakdown=bool(BREAKDOWN.search(t)),
        reason=bool(REASON.search(t)),
        achieved=bool(ACHIEVED.search(t)),
        english=is_english(t),
        founded=bool(FOUNDED.search(t)),
        about_strategy=bool(_ABOUT_STRATEGY.search(t)),
        goal_ref=_goal_number(m_goal, _GOAL_EN.search(t)),
        project_ref=_num(m_project.group(1) or m_project.group(2)) if m_project else None,
        measure_ref=int(m_measure.group(1) or m_measure.group(2)) if m_measure else None,
        meeting_ref=_meeting_number(m_meeting),
        article_ref=int(m_article.group(1)) if m_article else None,
    )


_GOAL_EN = re.compile(
    r"\b(first|second|third|1st|2nd|3rd) (?:basic |big |main )?goal\b|\b(?:basic )?goal (?:no\.? ?)?([1-3])\b"
)
_ORDINAL_EN = {"first": 1, "second": 2, "third": 3, "1st": 1, "2nd": 2, "3rd": 3, "fourth": 4, "fifth": 5}


def _meeting_number(m: re.Match[str] | None) -> int | None:
    """第2回, meeting no. 2, the 2nd (kensho iinkai) meeting, the second meeting."""
    if m is None:
        return None
    number = next(g for g in m.groups() if g)
    return _ORDINAL_EN[number] if number in _ORDINAL_EN else int(number)


def _goal_number(m_goal: re.Match[str] | None, m_en: re.Match[str] | None) -> int | None:
    """基本目標2, 2つ目の基本目標, the second goal, basic goal 2."""
    if m_goal:
        return _num(m_goal.group(1) or m_goal.group(2))
    if m_en:
        return _ORDINAL_EN[m_en.group(1)] if m_en.group(1) else int(m_en.group(2))
    return None


_REFS = re.compile(
    r"(?:リーディング)?プロジェクト\s*(?:の)?\s*(?:iv|iii|ii|i|[1-4]|[一二三四](?![一-龥]))(?![a-z0-9])"
    r"(?:\s*(?:つ目|番目))?"
    r"|(?:基本目標|\bbg)\s*(?:の)?\s*(?:[1-3]|[一二三](?![一-龥]))(?:\s*(?:つ目|番目))?|[1-3]\s*(?:つ目|番目)の基本目標"
    r"|[1-3]\s*(?:つ目|番目)の(?:大きな|大きい)?目標(?!値)"
    rf"|{_MEASURE_REF.pattern}"
    r"|第\s*[0-9]{1,2}\s*[回条]"
    r"|前の(?:計画|総合戦略|戦略)(?:ん|の)?(?:とき|時)(?:の|は|に)?|前の計画|[1一]期目"  # the first term
    r"|第\s*2\s*期(?:戦略)?(?:の|でも|では|も)"  # this term: the default (not 「なぜ第2期を作った」)
    # 「in the 1st term results」「from the 1st period table」: the first term, said in English
    r"|\b(?:(?:in|from|of|during|under|for|to) )?(?:the )?(?:1st|first|previous|old|earlier)"
    r"[ -](?:term|period|plan|strategy)"
    r"(?:'s)?(?: (?:results?|table|review|figures?))?\b"
    r"|\b(?:the )?2nd term\b"
    r"|[1-4]\s*(?:つ目|番目)の(?:リーディング)?プロジェクト"
    r"|\bmeeting (?:no\.?|number|#)\s*[0-9]{1,2}|\b[0-9]{1,2}(?:st|nd|rd|th) (?:committee )?meeting"
)


# 「第1期の検証で何て言ってる？」: the first term's review of whatever else the question names
_REVIEW_REF = re.compile(r"第\s*[1一]\s*期(?:戦略)?の(?:検証|振り返り)(?:で|では|の|は|に)?")
_NAMING = re.compile(r"[一-龥ァ-ヴ]{2,}")


def strip_refs(normalized: str) -> str:
    """The question without its structural references (基本目標2, プロジェクトIII, 第5回, 第6条…)."""
    stripped = _REFS.sub(" ", normalized)
    if stripped != normalized:
        return stripped  # 「基本目標1の第1期の検証結果は？」: the review of the part referred to
    rest = _REVIEW_REF.sub(" ", stripped)
    return rest if _NAMING.search(rest) else stripped
