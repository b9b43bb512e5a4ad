"""What a chart shows, read from the database: a KPI's facts and status (``handlers.kpi_status``,
never recomputed here), its first-term series and its staff-entered actuals; and the data version
that keys the chart cache."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import sqlite_utils

from handlers.kpi_status import UnknownKpi, all_kpi_facts, kpi_facts
from handlers.reply import KpiFacts
from strategy_data.state import state_of

__all__ = ["KpiSeries", "Point", "UnknownKpi", "data_version", "kpi_exists", "kpi_series", "overview_facts"]


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    label: str  # the year as printed (H24, R3, 2022)


@dataclass(frozen=True)
class KpiSeries:
    facts: KpiFacts
    first_term: list[Point] = field(default_factory=list)  # 検証委員会資料's printed actuals
    staff: list[Point] = field(default_factory=list)  # actuals staff entered (kpi_actuals)


def kpi_exists(db: sqlite_utils.Database, kpi_id: str) -> bool:
    if "kpis" not in db.table_names():
        return False
    return db.execute("SELECT 1 FROM kpis WHERE id = ?", [kpi_id]).fetchone() is not None


def kpi_series(db: sqlite_utils.Database, kpi_id: str, today: dt.date | None = None) -> KpiSeries:
    """Everything the trend chart draws. Raises ``UnknownKpi`` for an unknown id."""
    facts = kpi_facts(db, kpi_id, today or dt.date.today())
    first = db.execute(
        "SELECT v.year, v.value, v.label FROM history_values v"
        " JOIN history_indicators h ON h.id = v.indicator_id"
        " WHERE h.kpi_id = ? AND v.series = 'actual' ORDER BY v.year",
        [kpi_id],
    ).fetchall()
    with state_of(db).read() as tx:
        staff = [
            (r["year"], r["value"])
            for r in tx.execute(
                "SELECT year, value FROM kpi_actuals WHERE kpi_id = ? ORDER BY year", [kpi_id]
            )
        ]
    return KpiSeries(
        facts=facts,
        first_term=[Point(int(y), float(v), str(label)) for y, v, label in first],
        staff=[Point(int(y), float(v), str(y)) for y, v in staff],
    )


def overview_facts(
    db: sqlite_utils.Database, goal: int | None = None, today: dt.date | None = None
) -> list[KpiFacts]:
    """Every KPI in document order, or one 基本目標's (its 数値目標 and KPI)."""
    facts = all_kpi_facts(db, today or dt.date.today())
    if goal is None:
        return facts
    goal_ids = {row[0] for row in db.execute("SELECT id FROM goals WHERE number = ?", [goal]).fetchall()}
    return [f for f in facts if f.goal_id in goal_ids]


def data_version(db: sqlite_utils.Database) -> str:
    """Changes whenever a chart could look different: a data rebuild (its build stamp) or any change
    to the staff-entered actuals (set, undo, import, or a direct edit). Two small queries."""
    built = ""
    if "build_info" in db.table_names():
        row = db.execute("SELECT value FROM build_info WHERE key = 'built_at'").fetchone()
        built = row[0] if row else ""
    with state_of(db).read() as tx:
        actuals = tx.one(
            "SELECT count(*) AS n, coalesce(max(id), 0) AS last, coalesce(sum(value), 0) AS v,"
            " coalesce(sum(year * value), 0) AS yv, coalesce(sum(length(kpi_id) * year), 0) AS ky"
            " FROM kpi_actuals"
        )
        audit = tx.one("SELECT coalesce(max(id), 0) AS last FROM kpi_audit")
    a = actuals or {}
    raw = f"{built}|{a.get('n')}|{a.get('last')}|{float(a.get('v') or 0)!r}|{float(a.get('yv') or 0)!r}|"
    raw += f"{int(a.get('ky') or 0)}|{(audit or {}).get('last')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
