"""The SQLite database: curated tables rebuilt from the YAML files, runtime tables kept forever.

``build(db, data)`` replaces every curated table inside one transaction: a failure rolls back and
leaves the previous database exactly as it was, and readers see the old data until the commit.
Runtime tables (staff-entered KPI actuals and their audit log, staff meetings, LINE subscriptions,
unanswered questions, …) are created if missing and never dropped or rewritten by a rebuild.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlite_utils

from store.backend import StoreUnavailable
from strategy_data.loader import StrategyData
from strategy_data.models import Named, Record
from strategy_data.state import Database, StateSource, state_of

DEFAULT_DB = Path("var") / "strategy.db"


def default_db_path() -> Path:
    """``STRATEGY_BOT_DB`` if set, else ``var/strategy.db`` under the current directory."""
    env = os.environ.get("STRATEGY_BOT_DB", "").strip()
    return Path(env) if env else DEFAULT_DB


def connect(
    path: Path | str | None = None, *, memory: bool = False, state: StateSource | None = None
) -> Database:
    """Open the database with the settings every process uses, and make sure runtime tables exist.

    ``state`` gives the store that holds the run-time state (``strategy_data.state``); without it,
    that state lives in this file."""
    if memory:
        db = Database(memory=True)
    else:
        p = Path(path) if path is not None else default_db_path()
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(p), timeout=30, check_same_thread=False)
        db = Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.state_source = state
    db.execute("PRAGMA busy_timeout=30000")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_runtime_tables(db)
    return db


# --- runtime tables: created if missing, never dropped ------------------------------------------

RUNTIME_SCHEMA = """
CREATE TABLE IF NOT EXISTS kpi_actuals (
    id INTEGER PRIMARY KEY,
    kpi_id TEXT NOT NULL REFERENCES kpis(id),
    year INTEGER NOT NULL,
    value REAL NOT NULL,
    note TEXT,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (kpi_id, year)
);
CREATE TABLE IF NOT EXISTS kpi_audit (
    id INTEGER PRIMARY KEY,
    kpi_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    action TEXT NOT NULL,            -- set | undo | import
    old_value REAL,
    new_value REAL,
    old_note TEXT,
    new_note TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    reverted_audit_id INTEGER        -- for undo: the audit row it reverted
);
CREATE INDEX IF NOT EXISTS idx_kpi_audit_actor ON kpi_audit(actor, id);
CREATE INDEX IF NOT EXISTS idx_kpi_audit_kpi ON kpi_audit(kpi_id, year);
CREATE TABLE IF NOT EXISTS staff_meetings (
    id INTEGER PRIMARY KEY,
    number INTEGER,                  -- 第N回, when known
    starts_at TEXT NOT NULL,         -- ISO 8601 with +09:00 (Asia/Tokyo)
    place TEXT NOT NULL,
    agenda TEXT NOT NULL DEFAULT '[]',  -- JSON list of items
    status TEXT NOT NULL DEFAULT 'scheduled',  -- scheduled | cancelled
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_staff_meetings_start ON staff_meetings(status, starts_at);
CREATE TABLE IF NOT EXISTS line_subscriptions (
    user_id TEXT PRIMARY KEY,        -- the real LINE user id: needed to push reminders
    user_hash TEXT NOT NULL,
    member_id TEXT,                  -- linked committee member, if any
    subscribed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reminder_deliveries (
    id INTEGER PRIMARY KEY,
    meeting_key TEXT NOT NULL,       -- MeetingInfo.key
    starts_at TEXT NOT NULL,         -- the start it was for: moving a meeting makes new keys
    kind TEXT NOT NULL,              -- an offset ("7d", "1d", "2h"), "moved" or "cancelled"
    recipient TEXT NOT NULL,         -- "slack:<channel>" or "line:<user hash>" (never the raw id)
    due_at TEXT NOT NULL,
    status TEXT NOT NULL,            -- claimed | sent | failed | skipped | obsolete
    late INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    retry_key TEXT NOT NULL,         -- X-Line-Retry-Key / Slack message metadata: same on every try
    claimed_by TEXT,
    claimed_at TEXT,
    lease_until TEXT,
    finished_at TEXT,
    detail TEXT,                     -- error or skip reason, never message text
    UNIQUE (meeting_key, starts_at, kind, recipient)
);
CREATE INDEX IF NOT EXISTS idx_reminder_deliveries_status ON reminder_deliveries(status, lease_until);
CREATE TABLE IF NOT EXISTS member_invites (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the normalized one-time code; the code is never stored
    member_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by_hash TEXT,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,              -- normalized question text, no user id
    channel TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_unanswered_time ON unanswered(asked_at);
CREATE TABLE IF NOT EXISTS line_seen_events (
    webhook_event_id TEXT PRIMARY KEY,  -- LINE's webhookEventId: each is processed once
    seen_at TEXT NOT NULL            -- ISO 8601 UTC; rows older than 24 h are purged
);
CREATE INDEX IF NOT EXISTS idx_line_seen_events_time ON line_seen_events(seen_at);
CREATE TABLE IF NOT EXISTS slack_seen_events (
    event_id TEXT PRIMARY KEY,       -- Slack Events API event_id: each is processed once, retries too
    seen_at TEXT NOT NULL            -- ISO 8601 UTC; rows older than 24 h are purged
);
CREATE INDEX IF NOT EXISTS idx_slack_seen_events_time ON slack_seen_events(seen_at);
"""


def ensure_runtime_tables(db: sqlite_utils.Database) -> None:
    db.conn.executescript(RUNTIME_SCHEMA)


# --- curated tables: rebuilt on every load -----------------------------------------------------

CURATED_TABLES = [
    # children first, so that drops respect references
    "english_words",
    "english_names",
    "synonyms",
    "public_comments",
    "meetings",
    "committee_rules",
    "committee_members",
    "committee",
    "glossary",
    "promotion_sections",
    "project_subitems",
    "project_items",
    "projects",
    "first_term_reviews",
    "history_values",
    "history_indicators",
    "kpi_listings",
    "kpis",
    "measure_items",
    "measures",
    "goals",
    "overview_sections",
    "build_info",
]


def _j(value: Iterable[Any]) -> str:
    return json.dumps(list(value), ensure_ascii=False)


def _rows(data: StrategyData) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in CURATED_TABLES}
    for s in data.overview.sections:
        rows["overview_sections"].append(
            dict(
                id=s.id,
                number=s.number,
                title=s.title,
                text=s.text,
                facts=_j(s.facts),
                keywords=_j(s.keywords),
                source=s.source,
            )
        )
    for g in data.goals.goals:
        rows["goals"].append(
            dict(
                id=g.id,
                number=g.number,
                slogan=g.slogan,
                subtitle=g.subtitle,
                verification=g.verification,
                direction=g.direction,
                source=g.source,
            )
        )
        for k in g.numeric_targets:
            rows["kpi_listings"].append(dict(kpi_id=k, place=g.id, goal_id=g.id, measure_id=None, relisted=0))
        for m in g.measures:
            rows["measures"].append(
                dict(id=m.id, goal_id=g.id, number=m.number, title=m.title, source=m.source)
            )
            for it in m.items:
                rows["measure_items"].append(
                    dict(
                        id=it.id,
                        measure_id=m.id,
                        number=it.number,
                        title=it.title,
                        bullets=_j(it.bullets),
                        source=it.source,
                    )
                )
            for k in m.kpis:
                rows["kpi_listings"].append(
                    dict(kpi_id=k, place=m.id, goal_id=g.id, measure_id=m.id, relisted=0)
                )
            for k in m.relisted_kpis:
                rows["kpi_listings"].append(
                    dict(kpi_id=k, place=m.id, goal_id=g.id, measure_id=m.id, relisted=1)
                )
    for k in data.kpis.kpis:
        rows["kpis"].append(
            dict(
                id=k.id,
                kind=k.kind,
                name=k.name,
                short_name=k.short_name,
                aliases=_j(k.aliases),
                unit=k.unit,
                baseline_value=k.baseline.value,
                baseline_year=k.baseline.year,
                baseline_label=k.baseline.label,
                target_value=k.target.value,
                target_year=k.target.year,
                target_label=k.target.label,
                comparator=k.target.comparator,
                direction=k.direction,
                goal_id=k.goal,
                measure_id=k.measure,
                note=k.note,
                source=k.source,
            )
        )
    for h in data.history.indicators:
        rows["history_indicators"].append(
            dict(
                id=h.id,
                kind=h.kind,
                name=h.name,
                unit=h.unit,
                goal_id=h.goal,
                first_term_measure=h.first_term_measure,
                kpi_id=h.kpi,
                notes=_j(h.notes),
                source=h.source,
            )
        )
        series = [
            ("baseline", [h.baseline] if h.baseline else []),
            ("target", h.targets),
            ("actual", h.actuals),
        ]
        for name, values in series:
            for v in values:
                rows["history_values"].append(
                    dict(
                        indicator_id=h.id,
                        series=name,
                        column=v.column,
                        year=v.year,
                        value=v.value,
                        label=v.label,
                        comparator=v.comparator,
                        printed=v.printed,
                    )
                )
    for r in data.first_term_reviews.reviews:
        rows["first_term_reviews"].append(
            dict(
                id=r.id,
                goal_id=r.goal,
                first_term_measure=r.first_term_measure,
                number=r.number,
                title=r.title,
                history_ids=_j(r.history),
                direction=_j(r.direction),
                review=_j(r.review),
                items=_j(r.items),
                notes=_j(r.notes),
                source=r.source,
                direction_source=r.direction_source,
                review_source=r.review_source,
            )
        )
    for p in data.projects.projects:
        rows["projects"].append(
            dict(
                id=p.id,
                number=p.number,
                numeral=p.numeral,
                title=p.title,
                overview=p.overview,
                keywords=_j(p.keywords),
                source=p.source,
            )
        )
        for it in p.items:
            rows["project_items"].append(
                dict(
                    id=it.id,
                    project_id=p.id,
                    number=it.number,
                    title=it.title,
                    text=it.text,
                    source=it.source,
                )
            )
            for s in it.subitems:
                rows["project_subitems"].append(
                    dict(id=s.id, item_id=it.id, number=s.number, title=s.title, text=s.text, source=s.source)
                )
    for s in data.promotion.sections:
        rows["promotion_sections"].append(
            dict(
                id=s.id, number=s.number, title=s.title, text=s.text, keywords=_j(s.keywords), source=s.source
            )
        )
    for t in data.glossary.terms:
        rows["glossary"].append(
            dict(
                id=t.id,
                term=t.term,
                footnote=t.footnote,
                reading=t.reading,
                aliases=_j(t.aliases),
                definition=t.definition,
                appears_in=t.appears_in,
                source=t.source,
            )
        )
    c = data.committee.committee
    rows["committee"].append(
        dict(
            id=c.id,
            name=c.name,
            purpose=c.purpose,
            roster_note=c.roster_note,
            members_at_a_time=c.members_at_a_time,
            rules_title=c.rules_title,
            rules_enacted=c.rules_enacted,
            rules_amended=c.rules_amended,
            rules_supplementary=_j(c.rules_supplementary),
            source=c.source,
        )
    )
    for m in c.members:
        rows["committee_members"].append(
            dict(
                id=m.id,
                name=m.name,
                reading=m.reading,
                affiliation=m.affiliation,
                term_start=m.term_start.isoformat(),
                term_end=m.term_end.isoformat(),
                source=m.source,
            )
        )
    for r in c.rules:
        rows["committee_rules"].append(
            dict(id=r.id, number=r.number, title=r.title, text=r.text, topics=_j(r.topics), source=r.source)
        )
    for mt in c.meetings:
        rows["meetings"].append(
            dict(
                id=mt.id,
                number=mt.number,
                date=mt.date.isoformat(),
                start_time=mt.start_time.strftime("%H:%M") if mt.start_time else None,
                tentative=int(mt.tentative),
                place=mt.place,
                agenda=_j(mt.agenda),
                correction=mt.correction,
                source=mt.source,
            )
        )
    pc = c.public_comment
    rows["public_comments"].append(
        dict(
            id=pc.id,
            title=pc.title,
            start=pc.start.isoformat(),
            end=pc.end.isoformat(),
            printed=pc.printed,
            source=pc.source,
        )
    )
    for syn in data.synonyms.synonyms:
        for phrase in syn.phrases:
            rows["synonyms"].append(dict(target_id=syn.target, phrase=phrase, note=syn.note))
    seen = {(r["target_id"], r["phrase"]) for r in rows["synonyms"]}
    for record in named_records(data):
        for phrase in record.everyday:
            if (record.id, phrase) not in seen:
                seen.add((record.id, phrase))
                rows["synonyms"].append(dict(target_id=record.id, phrase=phrase, note="everyday"))
        if record.name_en:
            rows["english_names"].append(dict(record_id=record.id, name_en=record.name_en))
    for word, japanese in data.english_words.words.items():
        rows["english_words"].extend(dict(word=word, rank=i, japanese=ja) for i, ja in enumerate(japanese))
    return rows


def named_records(data: StrategyData) -> list[Named]:
    """Every record with a name people ask about, in file order (nested ones included)."""
    out: list[Named] = []

    def walk(value: Any) -> None:
        if isinstance(value, Named):
            out.append(value)
        if isinstance(value, Record):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for file in (data.overview, data.goals, data.kpis, data.history, data.projects, data.promotion):
        walk(file)
    walk(data.glossary)
    walk(data.committee)
    walk(data.first_term_reviews)
    return out


_TABLE_SPECS: dict[str, dict[str, Any]] = {
    "overview_sections": dict(pk="id"),
    "goals": dict(pk="id"),
    "measures": dict(pk="id", foreign_keys=[("goal_id", "goals", "id")]),
    "measure_items": dict(pk="id", foreign_keys=[("measure_id", "measures", "id")]),
    "kpis": dict(pk="id", foreign_keys=[("goal_id", "goals", "id"), ("measure_id", "measures", "id")]),
    "kpi_listings": dict(
        pk=("kpi_id", "place"), foreign_keys=[("kpi_id", "kpis", "id"), ("goal_id", "goals", "id")]
    ),
    "history_indicators": dict(pk="id", foreign_keys=[("goal_id", "goals", "id"), ("kpi_id", "kpis", "id")]),
    "history_values": dict(
        pk=("indicator_id", "series", "column"), foreign_keys=[("indicator_id", "history_indicators", "id")]
    ),
    "first_term_reviews": dict(pk="id", foreign_keys=[("goal_id", "goals", "id")]),
    "projects": dict(pk="id"),
    "project_items": dict(pk="id", foreign_keys=[("project_id", "projects", "id")]),
    "project_subitems": dict(pk="id", foreign_keys=[("item_id", "project_items", "id")]),
    "promotion_sections": dict(pk="id"),
    "glossary": dict(pk="id"),
    "committee": dict(pk="id"),
    "committee_members": dict(pk="id"),
    "committee_rules": dict(pk="id"),
    "meetings": dict(pk="id"),
    "public_comments": dict(pk="id"),
    "synonyms": dict(pk=("target_id", "phrase")),
    "english_names": dict(pk="record_id"),
    "english_words": dict(pk=("word", "rank")),
    "build_info": dict(pk="key"),
}

_INDEXES = {
    "measures": [["goal_id"]],
    "measure_items": [["measure_id"]],
    "kpis": [["goal_id"], ["measure_id"]],
    "kpi_listings": [["place"]],
    "history_indicators": [["kpi_id"]],
    "first_term_reviews": [["goal_id"]],
    "project_items": [["project_id"]],
    "project_subitems": [["item_id"]],
    "meetings": [["date"]],
}

# Column types for tables that may be empty (sqlite-utils infers types from rows otherwise).
_COLUMNS: dict[str, dict[str, type]] = {
    "build_info": {"key": str, "value": str},
    "english_names": {"record_id": str, "name_en": str},
    "english_words": {"word": str, "rank": int, "japanese": str},
}


class BuildError(Exception):
    """The data is valid but cannot be applied to this database (e.g. it would orphan staff rows)."""


def build(db: sqlite_utils.Database, data: StrategyData) -> dict[str, int]:
    """Replace the curated tables with ``data`` in one transaction; return row counts per table."""
    import datetime as dt

    rows = _rows(data)
    rows["build_info"] = [{"key": "built_at", "value": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}]
    ensure_runtime_tables(db)
    _refuse_orphaned_actuals(db, {r["id"] for r in rows["kpis"]})
    # Foreign keys are checked explicitly before the commit: dropping a parent table with the
    # pragma on would fail on staff rows that still (rightly) point at it.
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        with db.atomic():
            for table in CURATED_TABLES:
                db.execute(f"DROP TABLE IF EXISTS [{table}]")
            for table in reversed(CURATED_TABLES):
                spec = _TABLE_SPECS[table]
                table_rows = rows[table]
                columns = _COLUMNS.get(table) or _infer_columns(table_rows)
                db[table].create(columns, pk=spec["pk"], foreign_keys=spec.get("foreign_keys"))
                if table_rows:
                    db[table].insert_all(table_rows)
                for cols in _INDEXES.get(table, []):
                    db[table].create_index(cols)
            orphans = db.execute("PRAGMA foreign_key_check").fetchall()
            if orphans:
                detail = _describe_orphans(db, orphans)
                raise BuildError(f"the new data would orphan stored rows: {detail}")
    finally:
        db.execute("PRAGMA foreign_keys=ON")
    return {t: len(rows[t]) for t in CURATED_TABLES if t != "build_info"}


def _refuse_orphaned_actuals(db: sqlite_utils.Database, kpi_ids: set[str]) -> None:
    """Staff actuals live in the store (PostgreSQL with ``DATABASE_URL``), out of reach of this file's
    foreign keys: a rebuild that drops a KPI staff recorded actuals for is refused here."""
    try:
        with state_of(db).read() as tx:
            stored = tx.execute("SELECT kpi_id, year FROM kpi_actuals ORDER BY kpi_id, year")
    except StoreUnavailable as exc:
        raise BuildError(f"the store of staff actuals cannot be read ({exc}); nothing was changed") from exc
    orphans = [r for r in stored if r["kpi_id"] not in kpi_ids]
    if orphans:
        parts = [
            f"staff actual for KPI '{r['kpi_id']}' ({r['year']}) needs that KPI in kpis.yaml" for r in orphans
        ]
        more = f" (+{len(parts) - 5} more)" if len(parts) > 5 else ""
        raise BuildError(f"the new data would orphan stored rows: {'; '.join(parts[:5])}{more}")


def _infer_columns(table_rows: list[dict[str, Any]]) -> dict[str, type]:
    columns: dict[str, type] = {}
    for row in table_rows:
        for key, value in row.items():
            if value is None:
                columns.setdefault(key, str)
            elif isinstance(value, bool | int):
                if columns.get(key) is not float:
                    columns[key] = int
            elif isinstance(value, float):
                columns[key] = float
            else:
                columns[key] = str
    return columns


def _describe_orphans(db: sqlite_utils.Database, orphans: list[tuple[Any, ...]]) -> str:
    parts = []
    for table, rowid, parent, _fk in orphans[:5]:
        if table == "kpi_actuals":
            kpi = db.execute("SELECT kpi_id, year FROM kpi_actuals WHERE rowid = ?", [rowid]).fetchone()
            parts.append(f"staff actual for KPI '{kpi[0]}' ({kpi[1]}) needs that KPI in kpis.yaml")
        else:
            parts.append(f"{table} row {rowid} points at missing {parent}")
    more = f" (+{len(orphans) - 5} more)" if len(orphans) > 5 else ""
    return "; ".join(parts) + more


def is_built(db: sqlite_utils.Database) -> bool:
    return "kpis" in db.table_names() and "build_info" in db.table_names()
