"""The curated strategy records, read once from the database, and the index documents built from them.

``Corpus.load(db)`` reads every curated table into plain dicts (JSON columns decoded) keyed by id;
``Corpus.docs()`` turns each record into an ``nlp.index.Doc``: its names (what people call it,
including the staff-extendable synonyms) and its body. Runtime tables (staff KPI actuals, staff
meetings) are *not* read here: handlers read them per question so staff changes show at once.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from nlp.index import Doc
from nlp.normalize import compact, normalize
from nlp.tokenize import STOP_LEMMAS, english_lemma
from nlp.years import find_years

Row = dict[str, Any]

_JSON_COLUMNS = {
    "facts",
    "keywords",
    "bullets",
    "aliases",
    "topics",
    "agenda",
    "notes",
    "rules_supplementary",
}


# JSON list columns of the first-term reviews (``direction`` is a text column of ``goals``, so these
# are decoded for that table only).
_REVIEW_JSON_COLUMNS = ("history_ids", "direction", "review", "items")  # notes: in _JSON_COLUMNS

EVERYDAY_WEIGHT = 0.9


def _rows(db: sqlite_utils.Database, table: str, order: str = "rowid") -> list[Row]:
    if table not in db.table_names():
        return []
    out = []
    for row in db.query(f"SELECT * FROM [{table}] ORDER BY {order}"):
        for key in _JSON_COLUMNS & row.keys():
            row[key] = json.loads(row[key]) if row[key] else []
        out.append(row)
    return out


def _review_rows(db: sqlite_utils.Database) -> list[Row]:
    rows = _rows(db, "first_term_reviews", "goal_id, number")
    for row in rows:
        for key in _REVIEW_JSON_COLUMNS:
            row[key] = json.loads(row[key]) if row[key] else []
    return rows


def _years(*texts: str | None) -> frozenset[int]:
    years: set[int] = set()
    for text in texts:
        if text:
            years.update(find_years(normalize(text)))
    return frozenset(years)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def english_paired(lemmas: tuple[str, ...], bridge: dict[str, list[str]]) -> list[str]:
    """The question's words, two English words that name one thing joined (「vacant house」)."""
    out: list[str] = []
    i = 0
    while i < len(lemmas):
        pair = f"{lemmas[i]} {lemmas[i + 1]}" if i + 1 < len(lemmas) else ""
        if pair in bridge:
            out.append(pair)
            i += 2
        else:
            out.append(lemmas[i])
            i += 1
    return out


def project_name(title: str) -> str:
    """「戦略に基づく…くまもと創生」プロジェクト → 戦略に基づく…くまもと創生"""
    return re.sub(r"[「」]|\s*プロジェクト\s*$", "", title).strip()


@dataclass
class Corpus:
    overview: list[Row] = field(default_factory=list)
    goals: list[Row] = field(default_factory=list)
    measures: list[Row] = field(default_factory=list)
    items: list[Row] = field(default_factory=list)
    kpis: list[Row] = field(default_factory=list)
    listings: list[Row] = field(default_factory=list)
    history: list[Row] = field(default_factory=list)
    history_values: list[Row] = field(default_factory=list)
    first_term_reviews: list[Row] = field(default_factory=list)  # 検証委員会資料's page per first-term 施策
    projects: list[Row] = field(default_factory=list)
    project_items: list[Row] = field(default_factory=list)
    project_subitems: list[Row] = field(default_factory=list)
    promotion: list[Row] = field(default_factory=list)
    glossary: list[Row] = field(default_factory=list)
    committee: Row = field(default_factory=dict)
    members: list[Row] = field(default_factory=list)
    rules: list[Row] = field(default_factory=list)
    meetings: list[Row] = field(default_factory=list)
    public_comment: Row = field(default_factory=dict)
    synonyms: dict[str, list[list[str]]] = field(default_factory=dict)  # target -> phrase groups
    english: dict[str, str] = field(default_factory=dict)  # record id -> our English name
    # an English word (as analyzed) -> the strategy's Japanese words for it, compact
    english_words: dict[str, list[str]] = field(default_factory=dict)
    everyday: set[tuple[str, str]] = field(default_factory=set)  # (record id, everyday phrase)
    by_id: dict[str, Row] = field(default_factory=dict)

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> Corpus:
        c = cls(
            overview=_rows(db, "overview_sections", "number"),
            goals=_rows(db, "goals", "number"),
            measures=_rows(db, "measures", "goal_id, number"),
            items=_rows(db, "measure_items", "measure_id, number"),
            kpis=_rows(db, "kpis"),
            listings=_rows(db, "kpi_listings"),
            history=_rows(db, "history_indicators"),
            history_values=_rows(db, "history_values"),
            projects=_rows(db, "projects", "number"),
            project_items=_rows(db, "project_items", "project_id, number"),
            project_subitems=_rows(db, "project_subitems", "item_id, number"),
            promotion=_rows(db, "promotion_sections", "number"),
            glossary=_rows(db, "glossary", "footnote"),
            members=_rows(db, "committee_members"),
            rules=_rows(db, "committee_rules", "number"),
            meetings=_rows(db, "meetings", "number"),
        )
        c.first_term_reviews = _review_rows(db)
        committee = _rows(db, "committee")
        c.committee = committee[0] if committee else {}
        pcs = _rows(db, "public_comments")
        c.public_comment = pcs[0] if pcs else {}
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in _rows(db, "synonyms"):
            groups[(row["target_id"], row["note"] or "")].append(row["phrase"])
        for (target, note), phrases in groups.items():
            c.synonyms.setdefault(target, []).append(phrases)
            if note == "everyday":
                c.everyday.update((target, p) for p in phrases)
        c.english = {row["record_id"]: row["name_en"] for row in _rows(db, "english_names")}
        for row in _rows(db, "english_words", "word, rank"):
            # keyed as questions' English words are (houses → house, located → locat)
            japanese = compact(normalize(row["japanese"]))
            # (「park and ride」: the question's words come without their stop words, park ride)
            key = " ".join(english_lemma(w) for w in row["word"].split() if w not in STOP_LEMMAS)
            c.english_words.setdefault(key, []).append(japanese)
        for table in (
            c.overview,
            c.goals,
            c.measures,
            c.items,
            c.kpis,
            c.history,
            c.first_term_reviews,
            c.projects,
            c.project_items,
            c.project_subitems,
            c.promotion,
            c.glossary,
            c.members,
            c.rules,
            c.meetings,
        ):
            for row in table:
                c.by_id[row["id"]] = row
        if c.committee:
            c.by_id[c.committee["id"]] = c.committee
        if c.public_comment:
            c.by_id[c.public_comment["id"]] = c.public_comment
        return c

    # --- navigation --------------------------------------------------------------------------

    def goal_number(self, goal_id: str | None) -> int | None:
        row = self.by_id.get(goal_id or "")
        return row["number"] if row else None

    def measure_of(self, item: Row) -> Row:
        return self.by_id[item["measure_id"]]

    def goal_of_measure(self, measure: Row) -> Row:
        return self.by_id[measure["goal_id"]]

    def measures_of(self, goal_id: str) -> list[Row]:
        return [m for m in self.measures if m["goal_id"] == goal_id]

    def carried_on(self, first_term: Row) -> Row | None:
        """The 施策 of this term that a first-term record's 施策 (``first_term_measure``: 「施策４ 交流人口
        の拡大」) carries on: the one of the same goal whose title it says."""
        said = first_term.get("first_term_measure") or ""
        return next(
            (m for m in self.measures_of(first_term["goal_id"]) if m["title"] and m["title"] in said), None
        )

    def review_for_measure(self, measure_id: str) -> Row | None:
        """The first term's review of the 施策 that this term's ``measure_id`` carries on."""
        return next(
            (r for r in self.first_term_reviews if (self.carried_on(r) or {}).get("id") == measure_id), None
        )

    def items_of(self, measure_id: str) -> list[Row]:
        return [i for i in self.items if i["measure_id"] == measure_id]

    def project_items_of(self, project_id: str) -> list[Row]:
        return [i for i in self.project_items if i["project_id"] == project_id]

    def subitems_of(self, item_id: str) -> list[Row]:
        return [s for s in self.project_subitems if s["item_id"] == item_id]

    def kpis_of_goal(self, goal_id: str) -> list[Row]:
        """The goal's indicators in document order: 数値目標 first, then each 施策's KPIs (no 再掲)."""
        order = [li["kpi_id"] for li in self.listings if li["goal_id"] == goal_id and not li["relisted"]]
        return [self.by_id[k] for k in order if k in self.by_id]

    def numeric_targets_of(self, goal_id: str) -> list[Row]:
        """The goal's 数値目標 (not its 施策's KPIs), in document order."""
        return [k for k in self.kpis_of_goal(goal_id) if k["kind"] == "numeric_target"]

    def kpis_of_measure(self, measure_id: str) -> list[Row]:
        order = [li["kpi_id"] for li in self.listings if li["measure_id"] == measure_id]
        return [self.by_id[k] for k in order if k in self.by_id]

    def history_for_kpi(self, kpi_id: str) -> list[Row]:
        return [h for h in self.history if h["kpi_id"] == kpi_id]

    def history_values_of(self, indicator_id: str, series: str) -> list[Row]:
        return [v for v in self.history_values if v["indicator_id"] == indicator_id and v["series"] == series]

    def review_of(self, first_term_measure: str, goal_id: str | None = None) -> Row | None:
        """The first-term review of a 施策 by its heading as history.yaml prints it
        (「施策４ 交流人口の拡大」), within ``goal_id`` when given."""
        for r in self.first_term_reviews:
            if r["first_term_measure"] == first_term_measure and goal_id in (None, r["goal_id"]):
                return r
        return None

    def review_of_history(self, history_id: str) -> Row | None:
        """The review whose page prints this first-term indicator's table (None for the 数値目標
        printed only on the goals' page, such as 市内総生産額)."""
        for r in self.first_term_reviews:
            if history_id in r["history_ids"]:
                return r
        return None

    def history_of_review(self, review_id: str) -> list[Row]:
        """The first-term indicators printed on a review's page, in the order of its table."""
        review = self.by_id.get(review_id)
        if review is None or "history_ids" not in review:
            return []
        return [self.by_id[h] for h in review["history_ids"] if h in self.by_id]

    def reviews_of_goal(self, goal_id: str) -> list[Row]:
        return [r for r in self.first_term_reviews if r["goal_id"] == goal_id]

    # --- index documents ---------------------------------------------------------------------

    def names(
        self, record_id: str, base: list[tuple[str, float]]
    ) -> tuple[list[tuple[str, float]], list[list[str]]]:
        """A record's names with their weights (its own, then staff synonyms, everyday descriptions
        and its English name), and its synonym groups."""
        groups = self.synonyms.get(record_id, [])
        # a record's everyday descriptions name it a little less surely than its own names
        # and the staff's synonyms do
        extra = [(p, EVERYDAY_WEIGHT if (record_id, p) in self.everyday else 1.0) for g in groups for p in g]
        if record_id in self.english:
            extra.append((self.english[record_id], 0.95))
        return [(t, w) for t, w in base if t] + extra, groups

    def docs(self) -> list[Doc]:
        """The index documents of every record (names, body, source)."""
        from handlers.documents import build_docs

        return build_docs(self)
