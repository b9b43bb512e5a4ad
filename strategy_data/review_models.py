"""The first term's review of each 施策 (``first_term_reviews.yaml``): its pydantic v2 models and the
checks that tie it to ``history.yaml``.

Source: 参考資料「熊本市しごと・ひと・まち創生総合戦略検証委員会資料（令和元年8月7日）」, one page per
first-term 施策 with 方向性 and 課題・検証 (⚫ bullets), the ①②… items and the KPI table. The table is
in ``history.yaml``; a review links to it by ``first_term_measure`` (the same string) and lists the
indicators printed on its page in ``history``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from strategy_data.models import HistoryFile, Id, Named, Record, Source, Text

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class FirstTermReview(Named):
    """One first-term 施策's page of the 検証委員会資料."""

    id: Id  # 「ftr-1-4」
    goal: Id  # the goal id history.yaml uses: 「goal-1」
    first_term_measure: Text  # the page heading as printed: 「施策４ 交流人口の拡大」
    number: int = Field(ge=1, le=20)  # the 施策 number
    title: Text  # 「交流人口の拡大」
    history: list[Id] = Field(min_length=1)  # history.yaml indicators in the page's table
    direction: list[Text] = Field(min_length=1)  # 方向性: one entry per ⚫ bullet
    review: list[Text] = Field(min_length=1)  # 課題・検証: one entry per ⚫ bullet
    items: list[Text] = Field(min_length=1)  # ①②… in order, without the marker
    notes: list[Text] = []  # what the transcription had to decide
    source: Source  # the page: 「参考資料 > 検証委員会資料（令和元年8月7日） > 基本目標１ > 施策４ …」

    @model_validator(mode="after")
    def _heading_matches(self) -> FirstTermReview:
        expected = f"施策{str(self.number).translate(_FULL_WIDTH)} {self.title}"
        if self.first_term_measure != expected:
            raise ValueError(f"first_term_measure should be 「{expected}」 (施策 number and title)")
        return self

    @property
    def direction_source(self) -> str:
        return f"{self.source} > 方向性"

    @property
    def review_source(self) -> str:
        return f"{self.source} > 課題・検証"


class FirstTermReviewsFile(Record):
    reviews: list[FirstTermReview]


def review_problems(
    reviews: FirstTermReviewsFile, history: HistoryFile, goal_ids: set[str]
) -> list[tuple[str, str | None, str]]:
    """Links that do not hold, as (record, field, message): unknown goals and indicators, an indicator
    of another goal or on two pages, a 施策 reviewed twice, and an indicator history.yaml files under
    the review's 施策 that the review does not list."""
    problems: list[tuple[str, str | None, str]] = []
    by_id = {h.id: h for h in history.indicators}
    seen_measures: dict[tuple[str, str], str] = {}
    seen_history: dict[str, str] = {}
    for r in reviews.reviews:
        rec = f"review '{r.id}'"
        if r.goal not in goal_ids:
            problems.append((rec, "goal", f"unknown goal '{r.goal}'"))
        key = (r.goal, r.first_term_measure)
        if key in seen_measures:
            problems.append((rec, "first_term_measure", f"already reviewed in '{seen_measures[key]}'"))
        seen_measures.setdefault(key, r.id)
        for i, hid in enumerate(r.history):
            h = by_id.get(hid)
            if h is None:
                problems.append((rec, f"history.{i}", f"unknown history indicator '{hid}'"))
                continue
            if h.goal != r.goal:
                problems.append((rec, f"history.{i}", f"'{hid}' is in {h.goal}, not {r.goal}"))
            if h.first_term_measure is not None and h.first_term_measure != r.first_term_measure:
                problems.append((rec, f"history.{i}", f"'{hid}' is filed under 「{h.first_term_measure}」"))
            if hid in seen_history:
                problems.append((rec, f"history.{i}", f"'{hid}' is already listed by '{seen_history[hid]}'"))
            seen_history.setdefault(hid, r.id)
        for h in history.indicators:
            if (h.goal, h.first_term_measure) == key and h.id not in r.history:
                problems.append((rec, "history", f"'{h.id}' of this 施策 is not listed"))
    return problems
