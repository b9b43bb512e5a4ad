"""Pydantic v2 models for the curated strategy data files (``strategy_data/data/*.yaml``).

Every record has a stable ``id`` and a ``source``: its heading path in the strategy document,
e.g. ``基本目標１ > 施策(4) 交流人口の拡大 > ②``, so that every answer can cite it.
Unknown fields are rejected so that a typo in a YAML file is reported, not silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# What a target means: "point" is a plain number to reach (its direction follows from the
# baseline), "at_least" is 「以上」, "at_most" is 「以下」.
Comparator = Literal["point", "at_least", "at_most"]
IndicatorKind = Literal["numeric_target", "kpi"]  # 数値目標 / KPI


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Named(Record):
    """A record people ask about by name: with the words they use for it.

    ``everyday`` holds what a citizen would call the record, in their own registers (written from the
    document, reviewed like the rest of the data); matching treats each phrase like the record's name.
    ``name_en`` is our English translation of the record's name (not from the document), for questions
    asked in English.
    """

    id: Id
    everyday: list[Text] = []
    name_en: Text | None = None


# --- overview -------------------------------------------------------------------------------


class OverviewSection(Named):
    """One of 「１ 基本的考え方」 (1)–(8)."""

    id: Id
    number: int = Field(ge=1, le=20)
    title: Text
    text: Text  # faithful condensed text
    facts: list[Text] = []  # key facts, each a short sentence
    keywords: list[Text] = []  # extra words people use for this section
    source: Source


class OverviewFile(Record):
    sections: list[OverviewSection]


# --- goals, measures, items -----------------------------------------------------------------


class MeasureItem(Named):
    """A numbered item ①②… under a 施策, with its bullets."""

    id: Id
    number: int = Field(ge=1, le=20)
    title: Text
    bullets: list[Text] = []
    source: Source


class Measure(Named):
    """A 施策 (1)…(n) of a 基本目標."""

    id: Id
    number: int = Field(ge=1, le=20)
    title: Text
    items: list[MeasureItem]
    kpis: list[Id] = []  # indicators first listed here
    relisted_kpis: list[Id] = []  # 再掲: links to indicators first listed elsewhere
    source: Source


class Goal(Named):
    """A 基本目標."""

    id: Id
    number: int = Field(ge=1, le=10)
    slogan: Text  # 「国内外から人々を引き付けるまちを創り…」
    subtitle: Text  # 「移住・定住の促進と交流の活発化」
    verification: Text  # 【第１期戦略の検証】
    direction: Text  # 【基本的方向】
    numeric_targets: list[Id]  # 数値目標 (ids in kpis.yaml)
    measures: list[Measure]
    source: Source


class GoalsFile(Record):
    goals: list[Goal]


# --- indicators (数値目標 and KPI, 2nd term) --------------------------------------------------


class Baseline(Record):
    value: float
    year: int = Field(ge=2000, le=2040)  # the year the value is for (western)
    label: Text  # as printed, e.g. 「H30(2018)」


class Target(Record):
    value: float
    year: int = Field(ge=2000, le=2040)
    label: Text  # 「R5(2023)」
    comparator: Comparator = "point"


class Kpi(Named):
    """A 2nd-term indicator: a 数値目標 of a goal or a KPI of a 施策."""

    id: Id
    kind: IndicatorKind
    name: Text  # as printed in the 2nd-term table
    short_name: Text | None = None  # how people say it: 「待機児童数」
    aliases: list[Text] = []
    unit: Text
    baseline: Baseline
    target: Target
    goal: Id
    measure: Id | None = None  # the 施策 it is first listed under (None for a goal's 数値目標)
    note: Text | None = None
    source: Source

    @property
    def direction(self) -> Literal["up", "down"]:
        """Which way is progress: down when the target is below the baseline or 「以下」."""
        if self.target.comparator == "at_most":
            return "down"
        if self.target.comparator == "at_least":
            return "up"
        return "down" if self.target.value < self.baseline.value else "up"


class KpisFile(Record):
    kpis: list[Kpi]


# --- first-term history (検証委員会資料) -------------------------------------------------------


class HistoryValue(Record):
    """One printed cell: the column it stands in (H27…H31) and the year it is for.

    An actual printed with its own year (「2,325（H24）」 in the H27 column) keeps that year.
    """

    column: Literal["H27", "H28", "H29", "H30", "H31"]
    value: float
    year: int = Field(ge=2000, le=2040)  # the year the value is for (western)
    label: Text  # the year as printed or implied: 「H24」, 「H28」
    comparator: Comparator = "point"
    printed: Text  # the cell exactly as printed: 「2,325（H24）」, 「7,000以上」


class HistoryIndicator(Named):
    id: Id
    kind: IndicatorKind
    name: Text  # as printed in the first-term table
    unit: Text
    goal: Id
    first_term_measure: Text | None = None  # 「施策１ 雇用(しごと)の場の拡大と雇用の質の向上」
    kpi: Id | None = None  # the same indicator in the 2nd term, if it continues
    baseline: HistoryValue | None = None  # the 基準値 column, when it holds a value
    targets: list[HistoryValue] = []
    actuals: list[HistoryValue] = []
    notes: list[Text] = []  # ※ notes printed under the table
    source: Source


class HistoryFile(Record):
    indicators: list[HistoryIndicator]


# --- leading projects -----------------------------------------------------------------------


class ProjectSubItem(Named):
    id: Id
    number: int = Field(ge=1, le=20)  # ①②…
    title: Text
    text: Text
    source: Source


class ProjectItem(Named):
    id: Id
    number: int = Field(ge=1, le=20)  # (1)(2)…
    title: Text
    text: Text | None = None  # body text when the item has no ①②…
    subitems: list[ProjectSubItem] = []
    source: Source


class Project(Named):
    id: Id
    number: int = Field(ge=1, le=4)  # Ⅰ–Ⅳ
    numeral: Text  # 「Ⅰ」
    title: Text  # 「戦略に基づく文化・交流の活性化によるくまもと創生」プロジェクト
    overview: Text  # 概要, faithful condensed
    items: list[ProjectItem]
    keywords: list[Text] = []
    source: Source


class ProjectsFile(Record):
    projects: list[Project]


# --- 戦略の推進・検証体制 ------------------------------------------------------------------------


class PromotionSection(Named):
    id: Id
    number: int = Field(ge=1, le=10)
    title: Text
    text: Text
    keywords: list[Text] = []
    source: Source


class PromotionFile(Record):
    sections: list[PromotionSection]


# --- glossary -------------------------------------------------------------------------------


class GlossaryTerm(Named):
    id: Id
    term: Text  # as printed: 「MICE」
    footnote: int = Field(ge=1, le=99)
    reading: Text  # kana: 「マイス」
    aliases: list[Text] = []  # spellings people type: 「マイス」「ミーティング…」
    definition: Text  # the footnote text, faithful
    appears_in: Source  # where the footnote is attached in the strategy
    source: Source


class GlossaryFile(Record):
    terms: list[GlossaryTerm]


# --- the committee --------------------------------------------------------------------------


class Member(Named):
    id: Id
    name: Text
    reading: Text
    affiliation: Text
    term_start: dt.date
    term_end: dt.date
    source: Source

    @model_validator(mode="after")
    def _term_order(self) -> Member:
        if self.term_end < self.term_start:
            raise ValueError("term_end is before term_start")
        return self


class RuleArticle(Named):
    id: Id
    number: int = Field(ge=1, le=30)  # 第N条
    title: Text  # 「任期」
    text: Text
    topics: list[Text] = []  # words people ask with: 「定足数」「議決」
    source: Source


class Meeting(Record):
    id: Id
    number: int = Field(ge=1, le=99)  # 第N回
    date: dt.date
    start_time: dt.time | None = None  # None when the document prints no time
    tentative: bool = False  # 「※予定」
    place: Text
    agenda: list[Text]
    correction: Text | None = None  # a correction of the printed text, explained
    source: Source


class PublicComment(Record):
    id: Id
    title: Text
    start: dt.date
    end: dt.date
    printed: Text  # the period as the document prints it: 「令和2（2020）年1月6日～2月5日」
    source: Source


class Committee(Record):
    id: Id
    name: Text
    purpose: Text
    roster_note: Text  # 「8名 50音順 敬称略」
    members_at_a_time: int = Field(ge=1, le=50)
    members: list[Member]
    rules_title: Text
    rules_enacted: Text  # 「平成２８年８月４日 市長決裁」
    rules_amended: Text | None = None
    rules_supplementary: list[Text] = []  # 附則: when the rules took effect
    rules: list[RuleArticle]
    meetings: list[Meeting]
    public_comment: PublicComment
    source: Source


class CommitteeFile(Record):
    committee: Committee


# --- synonyms (staff-extendable) ------------------------------------------------------------


class SynonymGroup(Record):
    """Everyday words that mean a record: matching treats each phrase like the record's name."""

    target: Id  # any record id: a KPI, a glossary term, a measure item, a project…
    phrases: list[Text] = Field(min_length=1)
    note: Text | None = None


class SynonymsFile(Record):
    synonyms: list[SynonymGroup]


# a word, or two that name one thing (「vacant house」: 空き家, not a vacancy and a house), with a small
# word between them if it has one (「park and ride」)
EnglishWord = Annotated[
    str, StringConstraints(pattern=r"^[a-z]+( (and|by|of|for|to|in))? [a-z]+$|^[a-z]+$", max_length=40)
]


class EnglishWordsFile(Record):
    """English words a question may use, each with the strategy's own Japanese words for it (our
    translation, most likely sense first): an English question is searched in the Japanese text."""

    words: dict[EnglishWord, Annotated[list[Text], Field(min_length=1, max_length=4)]]
