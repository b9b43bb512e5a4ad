"""Load and validate the curated YAML files; report every problem at once.

``load(data_dir)`` returns a :class:`StrategyData` or raises :class:`DataError` whose ``problems``
each name the file, the record id and the field, e.g.
``kpis.yaml: kpi 'tourism-spending': target.value: not a number``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from strategy_data.models import (
    CommitteeFile,
    EnglishWordsFile,
    GlossaryFile,
    GoalsFile,
    HistoryFile,
    KpisFile,
    OverviewFile,
    ProjectsFile,
    PromotionFile,
    SynonymsFile,
)
from strategy_data.review_models import FirstTermReviewsFile, review_problems

DATA_DIR = Path(__file__).parent / "data"

FILES: dict[str, type[BaseModel]] = {
    "overview.yaml": OverviewFile,
    "goals.yaml": GoalsFile,
    "kpis.yaml": KpisFile,
    "history.yaml": HistoryFile,
    "first_term_reviews.yaml": FirstTermReviewsFile,
    "projects.yaml": ProjectsFile,
    "promotion.yaml": PromotionFile,
    "glossary.yaml": GlossaryFile,
    "committee.yaml": CommitteeFile,
    "synonyms.yaml": SynonymsFile,
    "english_words.yaml": EnglishWordsFile,
}

# How a list key names one of its records in an error message.
_RECORD_NAMES = {
    "sections": "section",
    "goals": "goal",
    "measures": "measure",
    "items": "item",
    "kpis": "kpi",
    "indicators": "indicator",
    "reviews": "review",
    "projects": "project",
    "subitems": "subitem",
    "terms": "term",
    "members": "member",
    "rules": "article",
    "meetings": "meeting",
    "synonyms": "synonym",
    "committee": "committee",
}

_SHORT_MESSAGES = {
    "float_parsing": "not a number",
    "float_type": "not a number",
    "int_parsing": "not a whole number",
    "int_type": "not a whole number",
    "int_from_float": "not a whole number",
    "missing": "missing",
    "extra_forbidden": "unknown field",
    "string_type": "not a text",
    "list_type": "not a list",
    "date_from_datetime_parsing": "not a date (YYYY-MM-DD)",
    "date_parsing": "not a date (YYYY-MM-DD)",
    "date_type": "not a date (YYYY-MM-DD)",
    "time_parsing": "not a time (HH:MM)",
    "string_pattern_mismatch": "not a valid id (lower-case letters, digits and -)",
    "string_too_short": "empty",
}


@dataclass(frozen=True)
class Problem:
    file: str
    record: str | None  # e.g. "kpi 'tourism-spending'"
    field: str | None  # e.g. "target.value"
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(self.field)
        return ": ".join([*parts, self.message])


class DataError(Exception):
    """The data files have problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class StrategyData:
    overview: OverviewFile
    goals: GoalsFile
    kpis: KpisFile
    history: HistoryFile
    first_term_reviews: FirstTermReviewsFile
    projects: ProjectsFile
    promotion: PromotionFile
    glossary: GlossaryFile
    committee: CommitteeFile
    synonyms: SynonymsFile
    english_words: EnglishWordsFile
    files: dict[str, Path] = field(default_factory=dict)


def _locate(raw: Any, loc: tuple[int | str, ...]) -> tuple[str | None, str]:
    """Walk ``raw`` along a pydantic error location: (deepest record with an id, remaining field path)."""
    record: str | None = None
    rest_start = 0
    node = raw
    key_name: str | None = None
    for i, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            key_name = part
            node = node[part]
            if part == "committee" and isinstance(node, dict) and "id" in node:
                record = f"committee '{node['id']}'"
                rest_start = i + 1
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            name = _RECORD_NAMES.get(key_name or "", key_name or "record")
            if isinstance(node, dict) and node.get("id") is not None:
                record = f"{name} '{node['id']}'"
            elif isinstance(node, dict) and node.get("target") is not None:
                record = f"{name} for '{node['target']}'"
            else:
                record = f"{name} #{part + 1}"
            rest_start = i + 1
        else:
            break
    rest = ".".join(str(p) for p in loc[rest_start:])
    return record, rest


def _validate_file(name: str, path: Path, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    if not path.exists():
        return None, [Problem(name, None, None, "file is missing")]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return None, [Problem(name, None, None, f"{where}not valid YAML ({getattr(exc, 'problem', exc)})")]
    except UnicodeDecodeError:
        return None, [Problem(name, None, None, "not UTF-8 text")]
    if not isinstance(raw, dict):
        return None, [Problem(name, None, None, "expected a mapping at the top of the file")]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            record, rest = _locate(raw, tuple(err["loc"]))
            message = _SHORT_MESSAGES.get(err["type"], err["msg"])
            if err["type"] == "value_error":
                message = str(err.get("ctx", {}).get("error", err["msg"]))
            problems.append(Problem(name, record, rest or None, message))
        return None, problems


def _check_references(d: StrategyData) -> list[Problem]:
    """Checks across records and files: unique ids, and every link points at a record."""
    problems: list[Problem] = []
    ids: list[tuple[str, str]] = []  # (file, id)

    def add(file: str, rid: str) -> None:
        ids.append((file, rid))

    for s in d.overview.sections:
        add("overview.yaml", s.id)
    for g in d.goals.goals:
        add("goals.yaml", g.id)
        for m in g.measures:
            add("goals.yaml", m.id)
            for it in m.items:
                add("goals.yaml", it.id)
    for k in d.kpis.kpis:
        add("kpis.yaml", k.id)
    for h in d.history.indicators:
        add("history.yaml", h.id)
    for r in d.first_term_reviews.reviews:
        add("first_term_reviews.yaml", r.id)
    for p in d.projects.projects:
        add("projects.yaml", p.id)
        for it in p.items:
            add("projects.yaml", it.id)
            for s in it.subitems:
                add("projects.yaml", s.id)
    for s in d.promotion.sections:
        add("promotion.yaml", s.id)
    for t in d.glossary.terms:
        add("glossary.yaml", t.id)
    c = d.committee.committee
    add("committee.yaml", c.id)
    for mem in c.members:
        add("committee.yaml", mem.id)
    for r in c.rules:
        add("committee.yaml", r.id)
    for mt in c.meetings:
        add("committee.yaml", mt.id)
    add("committee.yaml", c.public_comment.id)

    counts = Counter(rid for _, rid in ids)
    reported: set[str] = set()
    for file, rid in ids:
        if counts[rid] > 1 and rid not in reported:
            files = sorted({f for f, r in ids if r == rid})
            problems.append(
                Problem(
                    file, f"'{rid}'", "id", f"duplicate id (used {counts[rid]} times in {', '.join(files)})"
                )
            )
            reported.add(rid)
    known = set(counts)

    goal_ids = {g.id for g in d.goals.goals}
    measure_goal = {m.id: g.id for g in d.goals.goals for m in g.measures}
    kpi_ids = {k.id for k in d.kpis.kpis}

    first_listed: Counter[str] = Counter()
    for g in d.goals.goals:
        for i, kid in enumerate(g.numeric_targets):
            first_listed[kid] += 1
            if kid not in kpi_ids:
                problems.append(
                    Problem("goals.yaml", f"goal '{g.id}'", f"numeric_targets.{i}", f"unknown KPI '{kid}'")
                )
        for m in g.measures:
            for i, kid in enumerate(m.kpis):
                first_listed[kid] += 1
                if kid not in kpi_ids:
                    problems.append(
                        Problem("goals.yaml", f"measure '{m.id}'", f"kpis.{i}", f"unknown KPI '{kid}'")
                    )
            for i, kid in enumerate(m.relisted_kpis):
                if kid not in kpi_ids:
                    problems.append(
                        Problem(
                            "goals.yaml",
                            f"measure '{m.id}'",
                            f"relisted_kpis.{i}",
                            f"再掲 links to unknown KPI '{kid}'",
                        )
                    )
                elif kid in m.kpis:
                    problems.append(
                        Problem(
                            "goals.yaml",
                            f"measure '{m.id}'",
                            f"relisted_kpis.{i}",
                            f"'{kid}' is listed twice",
                        )
                    )

    for k in d.kpis.kpis:
        rec = f"kpi '{k.id}'"
        if k.goal not in goal_ids:
            problems.append(Problem("kpis.yaml", rec, "goal", f"unknown goal '{k.goal}'"))
        if k.measure is not None:
            if k.measure not in measure_goal:
                problems.append(Problem("kpis.yaml", rec, "measure", f"unknown measure '{k.measure}'"))
            elif measure_goal[k.measure] != k.goal:
                problems.append(
                    Problem("kpis.yaml", rec, "measure", f"measure '{k.measure}' is not in goal '{k.goal}'")
                )
        n = first_listed[k.id]
        if n == 0:
            problems.append(
                Problem(
                    "kpis.yaml", rec, None, "not listed in goals.yaml (numeric_targets or a measure's kpis)"
                )
            )
        elif n > 1:
            problems.append(
                Problem("kpis.yaml", rec, None, f"listed first {n} times in goals.yaml; use relisted_kpis")
            )

    for h in d.history.indicators:
        rec = f"indicator '{h.id}'"
        if h.goal not in goal_ids:
            problems.append(Problem("history.yaml", rec, "goal", f"unknown goal '{h.goal}'"))
        if h.kpi is not None and h.kpi not in kpi_ids:
            problems.append(Problem("history.yaml", rec, "kpi", f"unknown KPI '{h.kpi}'"))
        for series in ("targets", "actuals"):
            cols = Counter(v.column for v in getattr(h, series))
            for col, n in cols.items():
                if n > 1:
                    problems.append(Problem("history.yaml", rec, series, f"column {col} appears {n} times"))

    for record, fld, message in review_problems(d.first_term_reviews, d.history, goal_ids):
        problems.append(Problem("first_term_reviews.yaml", record, fld, message))

    numbers = Counter(m.number for m in c.meetings)
    for num, n in numbers.items():
        if n > 1:
            problems.append(
                Problem("committee.yaml", "committee", "meetings", f"第{num}回 appears {n} times")
            )

    for i, syn in enumerate(d.synonyms.synonyms):
        if syn.target not in known:
            problems.append(
                Problem("synonyms.yaml", f"synonym #{i + 1}", "target", f"unknown record '{syn.target}'")
            )
    return problems


def load(data_dir: Path | str | None = None) -> StrategyData:
    """Read and validate every data file in ``data_dir``; raise DataError listing all problems."""
    base = Path(data_dir) if data_dir is not None else DATA_DIR
    parsed: dict[str, BaseModel] = {}
    problems: list[Problem] = []
    for name, model in FILES.items():
        obj, errs = _validate_file(name, base / name, model)
        problems.extend(errs)
        if obj is not None:
            parsed[name] = obj
    if problems:
        raise DataError(problems)
    data = StrategyData(
        overview=parsed["overview.yaml"],  # type: ignore[arg-type]
        goals=parsed["goals.yaml"],  # type: ignore[arg-type]
        kpis=parsed["kpis.yaml"],  # type: ignore[arg-type]
        history=parsed["history.yaml"],  # type: ignore[arg-type]
        first_term_reviews=parsed["first_term_reviews.yaml"],  # type: ignore[arg-type]
        projects=parsed["projects.yaml"],  # type: ignore[arg-type]
        promotion=parsed["promotion.yaml"],  # type: ignore[arg-type]
        glossary=parsed["glossary.yaml"],  # type: ignore[arg-type]
        committee=parsed["committee.yaml"],  # type: ignore[arg-type]
        synonyms=parsed["synonyms.yaml"],  # type: ignore[arg-type]
        english_words=parsed["english_words.yaml"],  # type: ignore[arg-type]
        files={name: base / name for name in FILES},
    )
    problems = _check_references(data)
    if problems:
        raise DataError(problems)
    return data
