"""Where a KPI stands: baseline, target, the latest actual and a status word.

The latest actual is the newest of
- first-term actuals (``history_values`` of the history indicators linked to the KPI), and
- staff entries (``kpi_actuals``, in the store: ``strategy_data.state``),
counting only years *after* the 2nd-term baseline year; at the same year a staff entry wins.

Direction matters: a target below the baseline (待機児童 6 → 0) or 「以下」 is met by going down;
「以上」 is at-least. Status:
- 達成: the target is reached (in its direction);
- 順調: at or past the straight line from baseline to target at the latest actual's year;
- 遅れ: behind that line;
- 基準値のみ: no figure newer than the baseline.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from handlers.reply import KpiFacts, KpiStatus
from strategy_data.state import state_of

_EPS = 1e-9


class UnknownKpi(LookupError):
    pass


def _staff_rows(db: sqlite_utils.Database, kpi_id: str | None = None) -> dict[str, list[tuple[int, float]]]:
    """Staff-entered actuals (the store's ``kpi_actuals``) per KPI, oldest year first."""
    sql = "SELECT kpi_id, year, value FROM kpi_actuals"
    params: list[str] = []
    if kpi_id is not None:
        sql += " WHERE kpi_id = ?"
        params.append(kpi_id)
    with state_of(db).read() as tx:
        rows = tx.execute(sql + " ORDER BY kpi_id, year", params)
    out: dict[str, list[tuple[int, float]]] = {}
    for r in rows:
        out.setdefault(r["kpi_id"], []).append((int(r["year"]), float(r["value"])))
    return out


def _latest(
    db: sqlite_utils.Database, kpi: dict, after_year: int, staff: list[tuple[int, float]]
) -> tuple[float, int, str] | None:
    best: tuple[float, int, str] | None = None
    rows = db.execute(
        "SELECT v.year, v.value FROM history_values v JOIN history_indicators h ON h.id = v.indicator_id"
        " WHERE h.kpi_id = ? AND v.series = 'actual' AND v.year > ? ORDER BY v.year",
        [kpi["id"], after_year],
    ).fetchall()
    for year, value in rows:
        if best is None or year > best[1]:
            best = (float(value), int(year), "first_term")
    for year, value in staff:
        if year > after_year and (best is None or year >= best[1]):
            best = (float(value), int(year), "staff")
    return best


def status_of(
    *,
    baseline: float,
    baseline_year: int,
    target: float,
    target_year: int,
    direction: str,
    latest: float | None,
    latest_year: int | None,
) -> tuple[KpiStatus, float | None]:
    """(status, progress) from the figures; progress is the share of the way from baseline to target."""
    if latest is None or latest_year is None:
        return "基準値のみ", None
    sign = -1.0 if direction == "down" else 1.0
    span = target - baseline
    progress = (
        (latest - baseline) / span
        if abs(span) > _EPS
        else (1.0 if sign * (latest - target) >= -_EPS else 0.0)
    )
    if sign * (latest - target) >= -_EPS:
        return "達成", progress
    years = target_year - baseline_year
    share = 1.0 if years <= 0 else min(max((latest_year - baseline_year) / years, 0.0), 1.0)
    expected = baseline + span * share
    if sign * (latest - expected) >= -_EPS:
        return "順調", progress
    return "遅れ", progress


def _facts(db: sqlite_utils.Database, kpi: dict, staff: list[tuple[int, float]]) -> KpiFacts:
    latest = _latest(db, kpi, kpi["baseline_year"], staff)
    status, progress = status_of(
        baseline=kpi["baseline_value"],
        baseline_year=kpi["baseline_year"],
        target=kpi["target_value"],
        target_year=kpi["target_year"],
        direction=kpi["direction"],
        latest=latest[0] if latest else None,
        latest_year=latest[1] if latest else None,
    )
    return KpiFacts(
        id=kpi["id"],
        name=kpi["name"],
        short_name=kpi["short_name"],
        unit=kpi["unit"],
        goal_id=kpi["goal_id"],
        baseline_value=kpi["baseline_value"],
        baseline_year=kpi["baseline_year"],
        baseline_label=kpi["baseline_label"],
        target_value=kpi["target_value"],
        target_year=kpi["target_year"],
        target_label=kpi["target_label"],
        comparator=kpi["comparator"],
        direction=kpi["direction"],
        latest_value=latest[0] if latest else None,
        latest_year=latest[1] if latest else None,
        latest_origin=latest[2] if latest else None,  # type: ignore[arg-type]
        progress=progress,
        status=status,
        source=kpi["source"],
    )


def kpi_facts(db: sqlite_utils.Database, kpi_id: str, today: dt.date) -> KpiFacts:
    """Figures and status of one KPI as of now (``today`` is accepted for callers' clarity; the
    status depends only on the stored figures). Raises ``UnknownKpi`` for an unknown id."""
    rows = list(db.query("SELECT * FROM kpis WHERE id = ?", [kpi_id]))
    if not rows:
        raise UnknownKpi(kpi_id)
    return _facts(db, rows[0], _staff_rows(db, kpi_id).get(kpi_id, []))


def all_kpi_facts(db: sqlite_utils.Database, today: dt.date) -> list[KpiFacts]:
    """Every KPI in document order (goal, then listing order)."""
    rows = list(
        db.query(
            "SELECT k.* FROM kpis k LEFT JOIN kpi_listings l ON l.kpi_id = k.id AND l.relisted = 0"
            " ORDER BY k.goal_id, l.rowid"
        )
    )
    staff = _staff_rows(db)
    return [_facts(db, row, staff.get(row["id"], [])) for row in rows]
