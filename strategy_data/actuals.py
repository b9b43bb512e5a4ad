"""Staff-entered KPI actuals: validation, the audited write path, undo, history, CSV import/export.

Every change goes through :func:`record_actual` (or :func:`import_csv`, :func:`undo_last`), which
writes the actual (``kpi_actuals``, one row per KPI and year) and an audit row with the old and the
new value in ONE transaction of the store (``strategy_data.state``: PostgreSQL with ``DATABASE_URL``,
else the SQLite file). Two staff setting the same KPI at once, on one replica or two, are serialized
by the store's lock (``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite): both
changes are audited, each with the value it replaced, and the later one wins.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import sqlite_utils
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from store.backend import Tx
from strategy_data.clock import JST
from strategy_data.state import state_of

YEAR_MIN = 2015
YEAR_MAX = 2030
NOTE_MAX = 200

Action = Literal["set", "undo", "import"]


# --- KPIs as the write path needs them -------------------------------------------------------


class KpiRef(BaseModel):
    """What validation and lookup need to know about one KPI."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    short_name: str | None = None
    aliases: list[str] = []
    unit: str
    goal_id: str
    baseline_value: float
    baseline_year: int
    target_value: float
    target_year: int

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def allows_negative(self) -> bool:
        """Net figures (年転入超過数) can fall below zero; counts, amounts and shares cannot."""
        return any(word in self.name for word in ("超過", "増減"))


def kpi_refs(db: sqlite_utils.Database) -> dict[str, KpiRef]:
    if "kpis" not in db.table_names():
        return {}
    out: dict[str, KpiRef] = {}
    for row in db.query(
        "SELECT id, name, short_name, aliases, unit, goal_id, baseline_value, baseline_year,"
        " target_value, target_year FROM kpis ORDER BY rowid"
    ):
        row = dict(row)
        row["aliases"] = json.loads(row["aliases"] or "[]")
        out[row["id"]] = KpiRef.model_validate(row)
    return out


def _fold(text: str) -> str:
    """Normalize for matching names: NFKC, case-folded, without spaces and middle dots."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s・「」『』()（）]", "", text)


class KpiNotFound(LookupError):
    def __init__(self, query: str, candidates: list[KpiRef]):
        self.query = query
        self.candidates = candidates
        super().__init__(query)


def resolve_kpi(db_or_refs: sqlite_utils.Database | Mapping[str, KpiRef], query: str) -> KpiRef:
    """Find a KPI by id, name, short name or alias; raise :class:`KpiNotFound` (with candidates
    when the text is ambiguous) otherwise."""
    refs = db_or_refs if isinstance(db_or_refs, Mapping) else kpi_refs(db_or_refs)
    q = _fold(query)
    if not q:
        raise KpiNotFound(query, [])
    if query.strip() in refs:
        return refs[query.strip()]
    exact = [
        k
        for k in refs.values()
        if q in {_fold(k.id), _fold(k.name), _fold(k.label), *(_fold(a) for a in k.aliases)}
    ]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise KpiNotFound(query, exact)
    partial = [
        k for k in refs.values() if len(q) >= 2 and any(q in _fold(n) for n in (k.name, k.label, *k.aliases))
    ]
    if len(partial) == 1:
        return partial[0]
    raise KpiNotFound(query, partial)


# --- parsing what staff type -----------------------------------------------------------------

_ERA_START = {"令和": 2018, "r": 2018, "平成": 1988, "h": 1988}
_UNIT_EQUIVALENTS = {"%": {"%", "パーセント", "percent"}}


def parse_year(raw: object) -> int:
    """2023 / 2023年 / 2023年度 / R5 / 令和5年度 / 令和元年 / H30 → a western year in 2015–2030."""
    if isinstance(raw, bool):
        raise ValueError("年は西暦（例: 2023）か和暦（例: R5、令和5年度）で入力してください")
    if isinstance(raw, int):
        year = raw
    else:
        text = _fold(str(raw)).removesuffix("年度").removesuffix("年")
        era = re.fullmatch(r"(令和|平成|r|h)\.?(\d{1,2}|元)", text)
        if era:
            year = _ERA_START[era.group(1)] + (1 if era.group(2) == "元" else int(era.group(2)))
        elif re.fullmatch(r"\d{4}", text):
            year = int(text)
        else:
            raise ValueError("年は西暦（例: 2023）か和暦（例: R5、令和5年度）で入力してください")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"年は{YEAR_MIN}年から{YEAR_MAX}年までで入力してください（{year}年は範囲外です）")
    return year


_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def parse_number(raw: object, unit: str | None = None) -> float:
    """「1,234」「56.5」「56.5%」「５６．５％」「△12」（マイナス12）→ a float; the unit suffix, if
    typed, must be the KPI's unit."""
    if isinstance(raw, bool):
        raise ValueError("数値を入力してください")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace("−", "-").replace(" ", "")
        negative = False
        if text[:1] in {"△", "▲"}:
            negative, text = True, text[1:]
        if not text:
            raise ValueError("数値を入力してください")
        match = re.match(_NUMBER, text)
        suffix = text[match.end() :] if match else text
        if match is None or re.search(r"[\d.,+\-eE]", suffix[:1]) or re.search(r"\d", suffix):
            raise ValueError(f"「{str(raw).strip()[:30]}」は数値として読めません（例: 1,234　56.5）")
        if suffix:
            allowed = {_fold(unit)} if unit else set()
            for key, same in _UNIT_EQUIVALENTS.items():
                if unit and _fold(unit) == key:
                    allowed |= same
            if _fold(suffix) not in allowed:
                hint = f"このKPIの単位は「{unit}」です。" if unit else ""
                raise ValueError(f"「{suffix}」は単位として使えません。{hint}数値だけを入力してください")
        number = match.group(0)
        if negative and number.startswith(("-", "+")):
            raise ValueError(f"「{str(raw).strip()[:30]}」は数値として読めません")
        value = float(number.replace(",", ""))
        if negative:
            value = -value
    if not math.isfinite(value):
        raise ValueError("数値を入力してください")
    return value


def check_value(value: float, kpi: KpiRef) -> float:
    """Reject values that cannot be right for this KPI (a share over 100 %, a negative count,
    a figure wildly out of scale with the baseline and the target)."""
    unit = _fold(kpi.unit)
    if unit == "%" and not 0 <= value <= 100:
        raise ValueError("割合（％）は0から100までの数値で入力してください")
    if value < 0 and not kpi.allows_negative:
        raise ValueError(f"{kpi.label}にマイナスの値は入力できません")
    scale = max(abs(kpi.baseline_value), abs(kpi.target_value), 1.0)
    if abs(value) > 10 * scale:
        raise ValueError(
            f"基準値（{format_value(kpi.baseline_value, kpi.unit)}）や目標値"
            f"（{format_value(kpi.target_value, kpi.unit)}）と桁が大きく違います。"
            f"単位（{kpi.unit}）を確かめてください"
        )
    return round(value, 6)


def format_value(value: float | None, unit: str = "") -> str:
    """1234.0 → 「1,234」, 56.5 → 「56.5」, with the unit appended."""
    if value is None:
        return "―"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6f}".rstrip("0").rstrip(".")
    return text + unit


# --- the entry model ---------------------------------------------------------------------------


class ActualEntry(BaseModel):
    """One actual a staff member records: validated against the KPI when the database (as the
    ``kpis`` mapping of :func:`kpi_refs`) is passed as validation context."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    kpi_id: str = Field(min_length=1, max_length=80)
    year: int
    value: float
    note: str | None = None

    @field_validator("kpi_id", mode="before")
    @classmethod
    def _kpi(cls, v: object, info: ValidationInfo) -> object:
        kpis = (info.context or {}).get("kpis")
        if kpis is None or not isinstance(v, str):
            return v
        try:
            return resolve_kpi(kpis, v).id
        except KpiNotFound as exc:
            if exc.candidates:
                names = "、".join(k.label for k in exc.candidates[:5])
                raise ValueError(
                    f"「{v}」に当てはまるKPIが複数あります（{names}）。IDで指定してください"
                ) from None
            raise ValueError(f"「{v}」というKPIは見つかりません。/kpi list で確かめてください") from None

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v: object) -> int:
        return parse_year(v)

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v: object, info: ValidationInfo) -> float:
        kpi = _context_kpi(info)
        value = parse_number(v, kpi.unit if kpi else None)
        return check_value(value, kpi) if kpi else value

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, v: object) -> object:
        if v is None:
            return None
        text = " ".join(str(v).split())
        if len(text) > NOTE_MAX:
            raise ValueError(f"備考は{NOTE_MAX}文字以内で入力してください")
        return text or None


def _context_kpi(info: ValidationInfo) -> KpiRef | None:
    kpis = (info.context or {}).get("kpis")
    kpi_id = info.data.get("kpi_id")
    if not kpis or not kpi_id:
        return None
    return kpis.get(kpi_id)


class Problem(BaseModel):
    """One reason an entry was refused: which column, and why (in Japanese)."""

    column: str
    reason: str
    line: int | None = None  # for CSV rows: the file's line number

    def __str__(self) -> str:
        where = f"{self.line}行目 " if self.line is not None else ""
        return f"{where}{self.column}: {self.reason}"


class EntryError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


_COLUMN_NAMES = {"kpi_id": "kpi", "year": "year", "value": "value", "note": "note"}
_GENERIC_REASONS = {
    "missing": "入力がありません",
    "string_too_short": "入力がありません",
    "string_too_long": "長すぎます",
    "string_type": "文字で入力してください",
}


def problems_from(exc: ValidationError, line: int | None = None) -> list[Problem]:
    out = []
    for err in exc.errors():
        column = _COLUMN_NAMES.get(str(err["loc"][0]) if err["loc"] else "", "entry")
        if err["type"] == "value_error":
            reason = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            reason = _GENERIC_REASONS.get(err["type"], err["msg"])
        out.append(Problem(column=column, reason=reason, line=line))
    return out


def parse_entry(
    db_or_refs: sqlite_utils.Database | Mapping[str, KpiRef],
    *,
    kpi: str,
    year: object,
    value: object,
    note: object = None,
    line: int | None = None,
) -> ActualEntry:
    """Validate raw text against the KPIs in the database; raise :class:`EntryError`."""
    refs = db_or_refs if isinstance(db_or_refs, Mapping) else kpi_refs(db_or_refs)
    try:
        return ActualEntry.model_validate(
            {"kpi_id": kpi, "year": year, "value": value, "note": note}, context={"kpis": refs}
        )
    except ValidationError as exc:
        raise EntryError(problems_from(exc, line)) from None


# --- the write path ------------------------------------------------------------------------------


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """``BEGIN IMMEDIATE`` on the curated file itself (for callers that hold its write lock around
    several changes; the changes below take the store's own transaction and lock)."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


LOCK = "kpi_actuals"  # Tx.lock: every change of the actuals and their audit log queues on it


class Change(BaseModel):
    """One audited change of one KPI's actual for one year."""

    model_config = ConfigDict(frozen=True)

    audit_id: int
    action: Action
    kpi_id: str
    year: int
    old_value: float | None
    new_value: float | None
    old_note: str | None = None
    new_note: str | None = None
    actor: str
    at: str
    reverted_audit_id: int | None = None


def _stamp(now: dt.datetime | None) -> str:
    now = now or dt.datetime.now(JST)
    now = now.replace(tzinfo=JST) if now.tzinfo is None else now.astimezone(JST)
    return now.isoformat(timespec="microseconds")


def _current(tx: Tx, kpi_id: str, year: int) -> dict[str, Any] | None:
    return tx.one(
        "SELECT kpi_id, year, value, note, entered_by, entered_at FROM kpi_actuals"
        " WHERE kpi_id = ? AND year = ?",
        [kpi_id, year],
    )


def _audit(tx: Tx, **row: Any) -> Change:
    values = {"reverted_audit_id": None, **row}
    new = tx.one(
        "INSERT INTO kpi_audit (kpi_id, year, action, old_value, new_value, old_note, new_note, actor, at,"
        " reverted_audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            values[k]
            for k in (
                "kpi_id",
                "year",
                "action",
                "old_value",
                "new_value",
                "old_note",
                "new_note",
                "actor",
                "at",
                "reverted_audit_id",
            )
        ],
    )
    assert new is not None
    return Change(audit_id=int(new["id"]), **values)


_UPSERT = (
    "INSERT INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (kpi_id, year) DO UPDATE SET value = excluded.value, note = excluded.note,"
    " entered_by = excluded.entered_by, entered_at = excluded.entered_at"
)


def _write(tx: Tx, entry: ActualEntry, *, action: Action, by: str, stamp: str) -> Change:
    old = _current(tx, entry.kpi_id, entry.year)
    tx.execute(_UPSERT, [entry.kpi_id, entry.year, entry.value, entry.note, by, stamp])
    return _audit(
        tx,
        kpi_id=entry.kpi_id,
        year=entry.year,
        action=action,
        old_value=old["value"] if old else None,
        new_value=entry.value,
        old_note=old["note"] if old else None,
        new_note=entry.note,
        actor=by,
        at=stamp,
    )


def actual_basis(db: sqlite_utils.Database, kpi_id: str, year: int) -> dict[str, Any] | None:
    """What a preview was shown for: the stored actual (value, note, who, when), or None if none."""
    with state_of(db).read() as tx:
        row = _current(tx, kpi_id, year)
    return _basis(row)


def _basis(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: row[k] for k in ("value", "note", "entered_by", "entered_at")}


def record_actual(
    db: sqlite_utils.Database,
    entry: ActualEntry,
    *,
    by: str,
    now: dt.datetime | None = None,
) -> Change:
    """Write ``entry`` (replacing any value for the same KPI and year) and audit it, atomically.

    Writers are serialized by the store (``Tx.lock``): of two staff confirming at once, on one replica
    or two, the second waits, then audits the first's value as the one it replaced."""
    if not by:
        raise ValueError("the actor is required")
    refs = kpi_refs(db)
    if entry.kpi_id not in refs:
        raise EntryError([Problem(column="kpi", reason=f"「{entry.kpi_id}」というKPIは見つかりません")])
    try:
        check_value(entry.value, refs[entry.kpi_id])
    except ValueError as exc:
        raise EntryError([Problem(column="value", reason=str(exc))]) from None
    stamp = _stamp(now)
    with state_of(db).transaction() as tx:
        tx.lock(LOCK)
        return _write(tx, entry, action="set", by=by, stamp=stamp)


class NothingToUndo(LookupError):
    pass


class UndoConflict(RuntimeError):
    """Someone else changed the same KPI and year after the change to undo."""

    def __init__(self, change: Change, later: Change):
        self.change = change
        self.later = later
        super().__init__(f"{change.kpi_id} {change.year} was changed again by {later.actor}")


_AUDIT_COLUMNS = (
    "id, kpi_id, year, action, old_value, new_value, old_note, new_note, actor, at, reverted_audit_id"
)


def _change(row: Mapping[str, Any]) -> Change:
    data = dict(row)
    data["audit_id"] = data.pop("id")
    return Change.model_validate(data)


def _last_undoable(tx: Tx, by: str) -> list[Change]:
    """The caller's most recent change that is not reverted yet: one ``set``, or one whole import."""
    last_row = tx.one(
        f"SELECT {_AUDIT_COLUMNS} FROM kpi_audit a WHERE actor = ? AND action IN ('set', 'import')"
        " AND NOT EXISTS (SELECT 1 FROM kpi_audit u WHERE u.reverted_audit_id = a.id)"
        " ORDER BY id DESC LIMIT 1",
        [by],
    )
    if last_row is None:
        return []
    last = _change(last_row)
    if last.action == "set":
        return [last]
    batch = tx.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM kpi_audit a WHERE actor = ? AND action = 'import' AND at = ?"
        " AND NOT EXISTS (SELECT 1 FROM kpi_audit u WHERE u.reverted_audit_id = a.id) ORDER BY id DESC",
        [by, last.at],
    )
    return [_change(r) for r in batch]


def undo_last(db: sqlite_utils.Database, *, by: str, now: dt.datetime | None = None) -> list[Change]:
    """Revert the caller's last change (a ``set`` or a whole import), audited as ``undo``.

    Refuses (:class:`UndoConflict`) when someone changed the same KPI and year afterwards: undoing
    would silently discard their newer value. Returns the undo audit rows.
    """
    stamp = _stamp(now)
    with state_of(db).transaction() as tx:
        tx.lock(LOCK)
        targets = _last_undoable(tx, by)
        if not targets:
            raise NothingToUndo(by)
        undone: list[Change] = []
        for change in targets:
            # Later changes of the same KPI and year must all be reverted already (undo rows that
            # revert them included); otherwise undoing would discard a newer value.
            later = tx.one(
                f"SELECT {_AUDIT_COLUMNS} FROM kpi_audit a WHERE kpi_id = ? AND year = ? AND id > ?"
                " AND NOT (action = 'undo' AND reverted_audit_id > ?)"
                " AND NOT EXISTS (SELECT 1 FROM kpi_audit u WHERE u.reverted_audit_id = a.id)"
                " ORDER BY id LIMIT 1",
                [change.kpi_id, change.year, change.audit_id, change.audit_id],
            )
            if later is not None:
                raise UndoConflict(change, _change(later))
            current = _current(tx, change.kpi_id, change.year)
            if change.old_value is None:
                tx.execute(
                    "DELETE FROM kpi_actuals WHERE kpi_id = ? AND year = ?", [change.kpi_id, change.year]
                )
            else:
                # Restore who entered the previous value and when, from the audit row that wrote it.
                prev = tx.one(
                    "SELECT actor, at FROM kpi_audit WHERE kpi_id = ? AND year = ? AND id < ?"
                    " AND new_value IS NOT NULL ORDER BY id DESC LIMIT 1",
                    [change.kpi_id, change.year, change.audit_id],
                )
                entered_by, entered_at = (prev["actor"], prev["at"]) if prev else (by, stamp)
                tx.execute(
                    _UPSERT,
                    [change.kpi_id, change.year, change.old_value, change.old_note, entered_by, entered_at],
                )
            undone.append(
                _audit(
                    tx,
                    kpi_id=change.kpi_id,
                    year=change.year,
                    action="undo",
                    old_value=current["value"] if current else None,
                    new_value=change.old_value,
                    old_note=current["note"] if current else None,
                    new_note=change.old_note,
                    actor=by,
                    at=stamp,
                    reverted_audit_id=change.audit_id,
                )
            )
        return undone


# --- reading -----------------------------------------------------------------------------------


class StaffActual(BaseModel):
    model_config = ConfigDict(frozen=True)

    kpi_id: str
    year: int
    value: float
    note: str | None = None
    entered_by: str
    entered_at: str


class FirstTermValue(BaseModel):
    """A cell of the first-term table (検証委員会資料) for the same indicator."""

    model_config = ConfigDict(frozen=True)

    series: Literal["baseline", "target", "actual"]
    year: int
    label: str
    value: float
    printed: str


class KpiHistory(BaseModel):
    kpi: KpiRef
    first_term: list[FirstTermValue] = []
    staff: list[StaffActual] = []
    audit: list[Change] = []  # newest first

    def latest(self) -> tuple[int, float, Literal["first_term", "staff"]] | None:
        """The newest actual: a staff entry wins over a first-term figure for the same year."""
        best: tuple[int, float, Literal["first_term", "staff"]] | None = None
        for v in self.first_term:
            if v.series == "actual" and (best is None or v.year > best[0]):
                best = (v.year, v.value, "first_term")
        for s in self.staff:
            if best is None or s.year >= best[0]:
                best = (s.year, s.value, "staff")
        return best


def staff_actuals(db: sqlite_utils.Database, kpi_id: str | None = None) -> list[StaffActual]:
    sql = "SELECT kpi_id, year, value, note, entered_by, entered_at FROM kpi_actuals"
    params: list[Any] = []
    if kpi_id is not None:
        sql += " WHERE kpi_id = ?"
        params.append(kpi_id)
    with state_of(db).read() as tx:
        rows = tx.execute(sql + " ORDER BY kpi_id, year", params)
    return [StaffActual.model_validate(r) for r in rows]


def audit_log(db: sqlite_utils.Database, kpi_id: str | None = None, *, limit: int = 20) -> list[Change]:
    """Audit rows, newest first (of one KPI, or of all)."""
    where, params = ("WHERE kpi_id = ?", [kpi_id]) if kpi_id is not None else ("", [])
    with state_of(db).read() as tx:
        rows = tx.execute(
            f"SELECT {_AUDIT_COLUMNS} FROM kpi_audit {where} ORDER BY id DESC LIMIT ?", [*params, limit]
        )
    return [_change(r) for r in rows]


def history(db: sqlite_utils.Database, kpi_id: str, *, audit_limit: int = 20) -> KpiHistory:
    """A KPI's figures over time: first-term table cells, staff entries, and recent audit rows."""
    refs = kpi_refs(db)
    if kpi_id not in refs:
        raise KpiNotFound(kpi_id, [])
    first: list[FirstTermValue] = []
    if "history_values" in db.table_names():
        first = [
            FirstTermValue.model_validate(dict(r))
            for r in db.query(
                "SELECT v.series, v.year, v.label, v.value, v.printed FROM history_values v"
                " JOIN history_indicators h ON h.id = v.indicator_id WHERE h.kpi_id = ?"
                " ORDER BY v.year, CASE v.series WHEN 'baseline' THEN 0 WHEN 'target' THEN 1 ELSE 2 END",
                [kpi_id],
            )
        ]
        # The first-term baseline is also printed among the actuals: keep one copy.
        seen_actual_years = {v.year for v in first if v.series == "actual"}
        first = [v for v in first if not (v.series == "baseline" and v.year in seen_actual_years)]
    audit = audit_log(db, kpi_id, limit=audit_limit)
    return KpiHistory(kpi=refs[kpi_id], first_term=first, staff=staff_actuals(db, kpi_id), audit=audit)


# --- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = ["kpi_id", "kpi_name", "unit", "year", "value", "note", "entered_by", "entered_at"]
_IMPORT_REQUIRED = ["kpi_id", "year", "value"]
_IMPORT_IGNORED = {"kpi_name", "unit", "entered_by", "entered_at"}


class CsvImportError(ValueError):
    """The file was refused as a whole; ``problems`` names every bad row (line, column, reason)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ImportResult(BaseModel):
    rows: int
    written: int  # changed or new values
    unchanged: int  # same value and note as stored: not rewritten, not audited
    changes: list[Change] = []


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):  # Excel in Japan saves CSV as Shift_JIS (cp932)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvImportError(
        [Problem(line=1, column="file", reason="文字コードが UTF-8 でも Shift_JIS でもありません")]
    )


def import_csv(
    db: sqlite_utils.Database, path: Path | str, *, by: str, now: dt.datetime | None = None
) -> ImportResult:
    """Validate every row, then write all of them in one transaction, or none.

    Columns: ``kpi_id`` (an id or a KPI's name), ``year``, ``value``, optional ``note``; the other
    columns of :func:`export_csv` are accepted and ignored, so an export can be edited and re-imported.
    """
    text = _read_text(Path(path))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems: list[Problem] = []
    if not header:
        raise CsvImportError([Problem(line=1, column="header", reason="空のファイルです")])
    missing = [c for c in _IMPORT_REQUIRED if c not in header]
    unknown = [c for c in header if c not in {*_IMPORT_REQUIRED, "note", *_IMPORT_IGNORED}]
    if missing:
        problems.append(Problem(line=1, column="header", reason=f"列 {', '.join(missing)} がありません"))
    if unknown:
        problems.append(Problem(line=1, column="header", reason=f"知らない列です: {', '.join(unknown)}"))
    if problems:
        raise CsvImportError(problems)
    reader.fieldnames = header
    refs = kpi_refs(db)
    entries: list[ActualEntry] = []
    seen: dict[tuple[str, int], int] = {}
    rows = 0
    for record in reader:
        line = reader.line_num
        if None in record:
            problems.append(Problem(line=line, column="row", reason="列の数が見出しより多いです"))
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue  # blank line
        rows += 1
        try:
            entry = parse_entry(
                refs,
                kpi=values.get("kpi_id", ""),
                year=values.get("year", ""),
                value=values.get("value", ""),
                note=values.get("note") or None,
                line=line,
            )
        except EntryError as exc:
            problems.extend(exc.problems)
            continue
        key = (entry.kpi_id, entry.year)
        if key in seen:
            problems.append(
                Problem(line=line, column="year", reason=f"同じKPIと年が{seen[key]}行目にもあります")
            )
            continue
        seen[key] = line
        entries.append(entry)
    if problems:
        raise CsvImportError(problems)
    if not entries:
        raise CsvImportError([Problem(line=1, column="file", reason="取り込む行がありません")])
    stamp = _stamp(now)
    changes: list[Change] = []
    unchanged = 0
    with state_of(db).transaction() as tx:
        tx.lock(LOCK)
        for entry in entries:
            old = _current(tx, entry.kpi_id, entry.year)
            if old and old["value"] == entry.value and old["note"] == entry.note:
                unchanged += 1
                continue
            changes.append(_write(tx, entry, action="import", by=by, stamp=stamp))
    return ImportResult(rows=rows, written=len(changes), unchanged=unchanged, changes=changes)


CSV_ENCODING = "utf-8-sig"  # exports carry a BOM, so that Excel opens them as UTF-8, not as Shift_JIS


def export_csv_bytes(db: sqlite_utils.Database) -> bytes:
    """:func:`export_csv` as the bytes of a file: UTF-8 with a BOM (imports take it with or without)."""
    return export_csv(db).encode(CSV_ENCODING)


def export_csv(db: sqlite_utils.Database) -> str:
    """All staff-entered actuals as CSV (header row), re-importable with :func:`import_csv`."""
    refs = kpi_refs(db)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in staff_actuals(db):
        ref = refs.get(a.kpi_id)
        writer.writerow(
            [
                a.kpi_id,
                ref.name if ref else "",
                ref.unit if ref else "",
                a.year,
                format_value(a.value).replace(",", ""),
                a.note or "",
                a.entered_by,
                a.entered_at,
            ]
        )
    return out.getvalue()
