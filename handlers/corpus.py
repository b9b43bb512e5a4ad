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
from nlp.normalize import normalize
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


def _years(*texts: str | None) -> frozenset[int]:
    years: set[int] = set()
    for text in texts:
        if text:
            years.update(find_years(normalize(text)))
    return frozenset(years)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


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
        for table in (
            c.overview,
            c.goals,
            c.measures,
            c.items,
            c.kpis,
            c.history,
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

    def kpis_of_measure(self, measure_id: str) -> list[Row]:
        order = [li["kpi_id"] for li in self.listings if li["measure_id"] == measure_id]
        return [self.by_id[k] for k in order if k in self.by_id]

    def history_for_kpi(self, kpi_id: str) -> list[Row]:
        return [h for h in self.history if h["kpi_id"] == kpi_id]

    def history_values_of(self, indicator_id: str, series: str) -> list[Row]:
        return [v for v in self.history_values if v["indicator_id"] == indicator_id and v["series"] == series]

    # --- index documents ---------------------------------------------------------------------

    def docs(self) -> list[Doc]:
        docs: list[Doc] = []

        def names(
            record_id: str, base: list[tuple[str, float]]
        ) -> tuple[list[tuple[str, float]], list[list[str]]]:
            groups = self.synonyms.get(record_id, [])
            # a record's everyday descriptions name it a little less surely than its own names
            # and the staff's synonyms do
            extra = [
                (p, EVERYDAY_WEIGHT if (record_id, p) in self.everyday else 1.0) for g in groups for p in g
            ]
            if record_id in self.english:
                extra.append((self.english[record_id], 0.95))
            return [(t, w) for t, w in base if t] + extra, groups

        for t in self.glossary:
            base = [(t["term"], 1.0), (t["reading"], 0.95)] + [(a, 0.95) for a in t["aliases"]]
            nm, groups = names(t["id"], base)
            docs.append(Doc(t["id"], "glossary", nm, t["definition"], t["source"], synonym_groups=groups))

        for k in self.kpis:
            years = {k["baseline_year"], k["target_year"]}
            for h in self.history_for_kpi(k["id"]):
                years |= {v["year"] for v in self.history_values if v["indicator_id"] == h["id"]}
            base = [(k["name"], 1.0), (k["short_name"] or "", 1.0)] + [(a, 0.95) for a in k["aliases"]]
            nm, groups = names(k["id"], base)
            goal = self.by_id[k["goal_id"]]
            body = k["name"]
            if self.history_for_kpi(k["id"]):
                body += "\n第1期 実績 推移"  # the first-term actuals are part of the answer
            # the figures it states, so that 「目標は7000人ですか」 is explained by this record
            figures = {k["baseline_value"], k["target_value"]}
            body += "\n" + " ".join(_plain(v) for v in sorted(figures))
            docs.append(
                Doc(
                    k["id"],
                    "kpi",
                    nm,
                    body,
                    k["source"],
                    goal=goal["number"],
                    years=frozenset(years),
                    has_dates=True,
                    synonym_groups=groups,
                )
            )
        for h in self.history:
            if h["kpi_id"]:
                continue
            nm, groups = names(h["id"], [(h["name"], 1.0)])
            years = frozenset(v["year"] for v in self.history_values if v["indicator_id"] == h["id"])
            docs.append(
                Doc(
                    h["id"],
                    "history",
                    nm,
                    h["first_term_measure"] or "",
                    h["source"],
                    goal=self.goal_number(h["goal_id"]),
                    years=years,
                    has_dates=True,
                    synonym_groups=groups,
                )
            )

        for g in self.goals:
            base = [(g["slogan"], 0.9), (g["subtitle"], 0.9), ("第1期戦略の検証", 0.7), ("基本的方向", 0.7)]
            nm, groups = names(g["id"], base)
            docs.append(
                Doc(
                    g["id"],
                    "goal",
                    nm,
                    g["direction"] + "\n" + g["verification"],
                    g["source"],
                    goal=g["number"],
                    years=_years(g["verification"]),
                    synonym_groups=groups,
                )
            )
        for m in self.measures:
            goal_no = self.goal_number(m["goal_id"])
            nm, groups = names(m["id"], [(m["title"], 1.0)])
            body = "\n".join(i["title"] for i in self.items_of(m["id"]))
            docs.append(
                Doc(
                    m["id"],
                    "measure",
                    nm,
                    body,
                    m["source"],
                    goal=goal_no,
                    synonym_groups=groups,
                    parent=m["goal_id"],
                )
            )
        for it in self.items:
            goal_no = self.goal_number(self.measure_of(it)["goal_id"])
            nm, groups = names(it["id"], [(it["title"], 0.9)])
            docs.append(
                Doc(
                    it["id"],
                    "item",
                    nm,
                    "\n".join(it["bullets"]),
                    it["source"],
                    goal=goal_no,
                    synonym_groups=groups,
                    parent=it["measure_id"],
                )
            )

        for p in self.projects:
            base = [(project_name(p["title"]), 1.0)] + [(k, 0.3) for k in p["keywords"]]
            nm, groups = names(p["id"], base)
            docs.append(
                Doc(
                    p["id"],
                    "project",
                    nm,
                    p["overview"],
                    p["source"],
                    project=p["number"],
                    years=_years(p["overview"]),
                    synonym_groups=groups,
                )
            )
        for it in self.project_items:
            project_no = self.by_id[it["project_id"]]["number"]
            nm, groups = names(it["id"], [(it["title"], 1.0)])
            subs = self.subitems_of(it["id"])
            body = it["text"] or "\n".join(s["title"] for s in subs)
            docs.append(
                Doc(
                    it["id"],
                    "project_item",
                    nm,
                    body,
                    it["source"],
                    project=project_no,
                    synonym_groups=groups,
                    parent=it["project_id"],
                )
            )
        for s in self.project_subitems:
            item = self.by_id[s["item_id"]]
            project_no = self.by_id[item["project_id"]]["number"]
            nm, groups = names(s["id"], [(s["title"], 1.0)])
            docs.append(
                Doc(
                    s["id"],
                    "project_subitem",
                    nm,
                    s["text"],
                    s["source"],
                    project=project_no,
                    synonym_groups=groups,
                    parent=s["item_id"],
                )
            )

        for o in self.overview:
            title = re.sub(r"\s*～.*$", "", o["title"])
            base = [(title, 1.0), (o["title"], 1.0)] + [(k, 0.8) for k in o["keywords"]]
            nm, groups = names(o["id"], base)
            body = o["text"] + "\n" + "\n".join(o["facts"])
            years = _years(body)
            docs.append(
                Doc(
                    o["id"],
                    "overview",
                    nm,
                    body,
                    o["source"],
                    years=years,
                    has_dates=bool(years),
                    synonym_groups=groups,
                )
            )
        for s in self.promotion:
            base = [(s["title"], 1.0)] + [(k, 0.8) for k in s["keywords"]]
            nm, groups = names(s["id"], base)
            years = _years(s["text"])
            docs.append(
                Doc(
                    s["id"],
                    "promotion",
                    nm,
                    s["text"],
                    s["source"],
                    years=years,
                    has_dates=bool(years),
                    synonym_groups=groups,
                )
            )

        c = self.committee
        # rules, members and meetings are the committee's: a question naming it still fits them
        context = "\n検証委員会" if c else ""
        if c:
            nm, groups = names(c["id"], [(c["name"], 1.0), ("総合戦略検証委員会", 1.0), ("検証委員会", 1.0)])
            docs.append(
                Doc(
                    c["id"],
                    "committee",
                    nm,
                    c["purpose"],
                    c["source"],
                    years=_years(c["purpose"]),
                    synonym_groups=groups,
                )
            )
            docs.append(
                Doc(
                    "committee-members",
                    "members",
                    [
                        ("委員名簿", 1.0),
                        ("委員", 1.0),
                        ("委員の人数", 1.0),
                        ("委員の数", 1.0),
                        ("委員一覧", 1.0),
                        ("メンバー", 1.0),
                    ],
                    c["roster_note"] + "\n" + "\n".join(m["affiliation"] for m in self.members) + context,
                    self.members[0]["source"] if self.members else c["source"],
                    is_person=True,
                    has_dates=True,
                )
            )
            enacted = "\n".join([c["rules_enacted"], c["rules_amended"] or "", *c["rules_supplementary"]])
            docs.append(
                Doc(
                    "committee-rules",
                    "rules",
                    [(c["rules_title"], 1.0), ("運営要綱", 1.0), ("要綱", 0.9)],
                    enacted + context,
                    "参考資料 > 検証委員会運営要綱",
                    years=_years(enacted),
                    has_dates=True,
                )
            )
        for m in self.members:
            full = m["name"].replace(" ", "").replace("\u3000", "")
            surname = m["name"].split()[0] if " " in m["name"] else full[:2]
            reading = m["reading"].replace(" ", "")
            base = [(m["name"], 1.0), (full, 1.0), (reading, 0.95), (surname, 0.9), (surname + "委員", 1.0)]
            nm, groups = names(m["id"], base)
            docs.append(
                Doc(
                    m["id"],
                    "member",
                    nm,
                    m["affiliation"] + "\n所属 委嘱期間" + context,
                    m["source"],
                    years=frozenset({int(m["term_start"][:4]), int(m["term_end"][:4])}),
                    has_dates=True,
                    is_person=True,
                    synonym_groups=groups,
                )
            )
        for r in self.rules:
            base = [(r["title"], 1.0), (f"第{r['number']}条", 1.0)] + [(t, 0.7) for t in r["topics"]]
            nm, groups = names(r["id"], base)
            docs.append(Doc(r["id"], "rule", nm, r["text"] + context, r["source"], synonym_groups=groups))
        if self.meetings:
            docs.append(
                Doc(
                    "committee-meetings",
                    "meetings",
                    [("策定経過", 1.0), ("検証委員会の開催", 1.0)],
                    "\n".join(a for mt in self.meetings for a in mt["agenda"]) + context,
                    "参考資料 > 第2期総合戦略の策定過程 > (1) 策定経過",
                    years=frozenset(int(mt["date"][:4]) for mt in self.meetings),
                    has_dates=True,
                )
            )
        for mt in self.meetings:
            n = mt["number"]
            base = [(f"第{n}回検証委員会", 1.0), (f"第{n}回", 0.9)]
            nm, groups = names(mt["id"], base)
            docs.append(
                Doc(
                    mt["id"],
                    "meeting",
                    nm,
                    mt["place"] + "\n" + "\n".join(mt["agenda"]) + context,
                    mt["source"],
                    years=frozenset({int(mt["date"][:4])}),
                    has_dates=True,
                    synonym_groups=groups,
                )
            )
        pc = self.public_comment
        if pc:
            base = [(pc["title"], 1.0), ("パブリックコメント", 1.0), ("市民意見聴取", 1.0)]
            nm, groups = names(pc["id"], base)
            docs.append(
                Doc(
                    pc["id"],
                    "public_comment",
                    nm,
                    pc["title"],
                    pc["source"],
                    years=frozenset({int(pc["start"][:4]), int(pc["end"][:4])}),
                    has_dates=True,
                    synonym_groups=groups,
                )
            )

        if self.goals:
            docs.append(
                Doc(
                    "goals",
                    "goals",
                    [("基本目標", 0.9), ("基本戦略", 0.9)],
                    "\n".join(g["slogan"] + " " + g["subtitle"] for g in self.goals),
                    "２ 基本戦略",
                )
            )
        if self.projects:
            docs.append(
                Doc(
                    "projects",
                    "projects",
                    [("リーディングプロジェクト", 1.0)],
                    "\n".join(project_name(p["title"]) for p in self.projects),
                    "３ リーディングプロジェクト",
                )
            )
        return docs
