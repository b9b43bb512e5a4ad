"""Staff KPI commands (``/kpi list|show|set|undo``): parsed into models, answered as Replies.

Parsing is separate from acting: :func:`parse_kpi_command` turns the command text into one of the
command models (or an error Reply); the ``handle_*`` functions take a parsed command and the
database and return a channel-neutral :class:`~handlers.reply.Reply` of kind ``staff`` or ``error``.
Writing needs a confirmation: ``/kpi set`` only returns a preview whose ``data["confirm"]`` carries
the validated entry; :func:`confirm_set` writes it.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import unicodedata
import uuid
from typing import Any, Literal

import sqlite_utils
from pydantic import BaseModel, ConfigDict

from handlers.kpi_status import all_kpi_facts, kpi_facts
from handlers.reply import KpiFacts, Reply
from strategy_data.actuals import (
    ActualEntry,
    EntryError,
    KpiNotFound,
    KpiRef,
    NothingToUndo,
    UndoConflict,
    actual_basis,
    format_value,
    history,
    kpi_refs,
    parse_entry,
    record_actual,
    resolve_kpi,
    undo_last,
)

CONFIRM_ACTION = "kpi_set"

HELP_TEXT = (
    "KPIの実績を管理するコマンドです。\n"
    "・/kpi list [基本目標の番号] … KPIの一覧と進み具合\n"
    "・/kpi show <KPI名またはID> … 基準値・目標値・これまでの実績\n"
    "・/kpi set <KPI名またはID> <年> <値> [備考] … 実績を記録（確認してから書き込みます）\n"
    "・/kpi undo … 自分が最後に記録した実績を取り消す\n"
    "例: /kpi set 待機児童数 2022 0 4月1日時点"
)


class KpiList(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["list"] = "list"
    goal: str | None = None


class KpiShow(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["show"] = "show"
    kpi: str


class KpiSet(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["set"] = "set"
    kpi: str
    year: str
    value: str
    note: str | None = None


class KpiUndo(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["undo"] = "undo"


KpiCommand = KpiList | KpiShow | KpiSet | KpiUndo


def error(text: str) -> Reply:
    return Reply(kind="error", answered=False, text=text[:1000])


def staff(text: str, **fields: Any) -> Reply:
    return Reply(kind="staff", answered=False, text=_clip(text), **fields)


def _clip(text: str, limit: int = 1000) -> str:
    if len(text) <= limit:
        return text
    lines, total = [], 0
    for line in text.splitlines():
        if total + len(line) + 1 > limit - 2:
            break
        lines.append(line)
        total += len(line) + 1
    return "\n".join([*lines, "…"])


def split_args(text: str) -> list[str]:
    """Split on spaces (full-width too); 「…」 and "…" keep words with spaces together."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = re.sub(r"「([^」]*)」", lambda m: shlex.quote(m.group(1)), text)
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return text.split()


_YEARISH = re.compile(r"^(?:\d{4}|[RrHh]\.?\d{1,2}|令和(?:\d{1,2}|元)|平成\d{1,2})(?:年度?)?$")

_OPS = {
    "list": "list",
    "一覧": "list",
    "ls": "list",
    "show": "show",
    "表示": "show",
    "詳細": "show",
    "set": "set",
    "記録": "set",
    "登録": "set",
    "undo": "undo",
    "取消": "undo",
    "取り消し": "undo",
}


def parse_kpi_command(text: str) -> KpiCommand | Reply:
    """``/kpi`` text → a command model, or a Reply (help or a clear error)."""
    args = split_args(text)
    if not args or args[0].lower() in {"help", "ヘルプ", "?"}:
        return staff(HELP_TEXT)
    op = _OPS.get(args[0].lower())
    rest = args[1:]
    if op is None:
        return error(f"「{args[0][:30]}」というコマンドはありません。\n{HELP_TEXT}")
    if op == "list":
        return KpiList(goal=" ".join(rest) or None)
    if op == "show":
        if not rest:
            return error("KPIの名前かIDを指定してください。例: /kpi show 待機児童数")
        return KpiShow(kpi=" ".join(rest))
    if op == "undo":
        return KpiUndo()
    # set <name or id> <year> <value> [note]: the name ends where a year followed by a value begins
    for i in range(1, len(rest) - 1):
        if _YEARISH.match(rest[i]):
            return KpiSet(
                kpi=" ".join(rest[:i]), year=rest[i], value=rest[i + 1], note=" ".join(rest[i + 2 :]) or None
            )
    return error(
        "入力の形が違います。/kpi set <KPI名またはID> <年> <値> [備考] の順に入力してください。\n"
        "例: /kpi set 待機児童数 2022 0 4月1日時点"
    )


# --- answering ---------------------------------------------------------------------------------


def _facts(db: sqlite_utils.Database, kpi_id: str, today: dt.date) -> KpiFacts:
    return kpi_facts(db, kpi_id, today)


def _latest_text(f: KpiFacts) -> str:
    if f.latest_value is None or f.latest_year is None:
        return "実績なし"
    origin = "（職員入力）" if f.latest_origin == "staff" else ""
    return f"{format_value(f.latest_value, f.unit)}（{f.latest_year}年）{origin}"


def _goal_filter(db: sqlite_utils.Database, goal: str | None) -> tuple[str | None, str | None]:
    """(goal id, error text) for 「1」「基本目標1」「goal-1」."""
    if not goal:
        return None, None
    text = unicodedata.normalize("NFKC", goal).strip().lower()
    m = re.fullmatch(r"(?:goal-?|基本目標|目標)?\s*(\d+)", text)
    ids = {r["number"]: r["id"] for r in db.query("SELECT id, number FROM goals")}
    if m and int(m.group(1)) in ids:
        return ids[int(m.group(1))], None
    return (
        None,
        f"基本目標「{goal[:20]}」は見つかりません。1〜{max(ids, default=3)}の番号で指定してください。",
    )


def handle_list(db: sqlite_utils.Database, cmd: KpiList, today: dt.date) -> Reply:
    goal_id, problem = _goal_filter(db, cmd.goal)
    if problem:
        return error(problem)
    facts = [f for f in all_kpi_facts(db, today) if goal_id is None or f.goal_id == goal_id]
    counts = {s: sum(1 for f in facts if f.status == s) for s in ("達成", "順調", "遅れ", "基準値のみ")}
    title = f"基本目標{goal_id.rsplit('-', 1)[-1]}のKPI" if goal_id else "KPI一覧"
    summary = "、".join(f"{s} {n}件" for s, n in counts.items() if n)
    lines = [f"{title}（{len(facts)}件: {summary}）"]
    lines += [f"・{f.short_name or f.name}［{f.id}］ {f.status} / 最新 {_latest_text(f)}" for f in facts]
    return Reply(kind="staff", answered=True, text=_clip("\n".join(lines)), kpis=facts)


def _not_found(exc: KpiNotFound) -> Reply:
    if exc.candidates:
        names = "\n".join(f"・{k.label}［{k.id}］" for k in exc.candidates[:8])
        return error(f"「{exc.query[:30]}」に当てはまるKPIが複数あります。IDで指定してください。\n{names}")
    return error(f"「{exc.query[:30]}」というKPIは見つかりません。/kpi list で名前とIDを確かめてください。")


def actor_label(actor: str) -> str:
    """How an actor is shown in channel-neutral text (channels may render it richer)."""
    return actor


def handle_show(db: sqlite_utils.Database, cmd: KpiShow, today: dt.date) -> Reply:
    try:
        kpi = resolve_kpi(db, cmd.kpi)
    except KpiNotFound as exc:
        return _not_found(exc)
    h = history(db, kpi.id)
    f = _facts(db, kpi.id, today)
    rows: list[list[str]] = []
    series_names = {"baseline": "第1期 基準値", "target": "第1期 目標", "actual": "第1期 実績"}
    for v in h.first_term:
        rows.append([f"{v.year}", series_names[v.series], v.printed, ""])
    rows.append([str(kpi.baseline_year), "第2期 基準値", format_value(kpi.baseline_value), ""])
    for s in h.staff:
        who = f"{actor_label(s.entered_by)} {s.entered_at[:10]}"
        rows.append([str(s.year), "実績（職員入力）", format_value(s.value), f"{who} {s.note or ''}".strip()])
    rows.append([str(kpi.target_year), "第2期 目標", format_value(kpi.target_value), f.target_label])
    rows.sort(key=lambda r: int(r[0]))
    text = (
        f"{kpi.name}［{kpi.id}］（単位: {kpi.unit}）\n"
        f"基準値 {format_value(f.baseline_value, f.unit)}（{f.baseline_label}）→ "
        f"目標 {format_value(f.target_value, f.unit)}（{f.target_label}）\n"
        f"最新の実績: {_latest_text(f)}　状況: {f.status}"
    )
    table = {"columns": ["年", "区分", f"値（{kpi.unit}）", "備考"], "rows": rows}
    changes = [
        {
            "action": c.action,
            "year": c.year,
            "old": format_value(c.old_value),
            "new": format_value(c.new_value),
            "actor": c.actor,
            "at": c.at[:16].replace("T", " "),
        }
        for c in h.audit[:5]
    ]
    return Reply(
        kind="staff",
        answered=True,
        text=text,
        source=f.source,
        kpis=[f],
        data={"table": table, "audit": changes},
    )


def handle_set(db: sqlite_utils.Database, cmd: KpiSet) -> Reply:
    """Validate and show back what would be written, with a confirmation (nothing is written yet)."""
    refs = kpi_refs(db)
    try:
        entry = parse_entry(refs, kpi=cmd.kpi, year=cmd.year, value=cmd.value, note=cmd.note)
    except EntryError as exc:
        column_names = {"kpi": "KPI", "year": "年", "value": "値", "note": "備考"}
        reasons = "\n".join(f"・{column_names.get(p.column, p.column)}: {p.reason}" for p in exc.problems)
        return error(f"記録できませんでした。\n{reasons}")
    return preview(db, entry, refs[entry.kpi_id])


def preview(db: sqlite_utils.Database, entry: ActualEntry, kpi: KpiRef) -> Reply:
    current = actual_basis(db, entry.kpi_id, entry.year)
    now_text = (
        f"{format_value(current['value'], kpi.unit)}"
        f"（{actor_label(current['entered_by'])} が入力）を上書きします"
        if current
        else "この年の職員入力はまだありません"
    )
    text = (
        "次の内容で実績を記録します。よろしければ「記録する」を押してください。\n"
        f"KPI: {kpi.name}［{kpi.id}］\n"
        f"年: {entry.year}年\n"
        f"値: {format_value(entry.value, kpi.unit)}（{now_text}）"
        + (f"\n備考: {entry.note}" if entry.note else "")
    )
    confirm = {
        "action": CONFIRM_ACTION,
        "entry": entry.model_dump(),
        "nonce": uuid.uuid4().hex,
        # what the preview was shown for: a confirmation is refused if the KPI changed since
        "basis": {"actual": current, "kpi": kpi_definition(kpi)},
    }
    return staff(text, data={"confirm": confirm})


_NO_BASIS: dict[str, Any] = {}


def kpi_definition(kpi: KpiRef) -> dict[str, Any]:
    """What a KPI is, as far as an entered value depends on it (a data rebuild may change it)."""
    return {
        "name": kpi.name,
        "unit": kpi.unit,
        "baseline": [kpi.baseline_value, kpi.baseline_year],
        "target": [kpi.target_value, kpi.target_year],
    }


def confirm_set(
    db: sqlite_utils.Database,
    entry_data: dict[str, Any],
    *,
    by: str,
    now: dt.datetime,
    basis: dict[str, Any] = _NO_BASIS,
) -> Reply:
    """Write a previewed entry (re-validated: the KPI list may have changed since). With the preview's
    ``basis``: refuse politely if the KPI itself (name, unit, baseline, target) changed since; if only
    its value for that year changed (another staff member confirmed first), write as before — both
    changes are audited, the later wins — and say which value was overwritten."""
    refs = kpi_refs(db)
    try:
        entry = parse_entry(
            refs,
            kpi=str(entry_data.get("kpi_id", "")),
            year=entry_data.get("year"),
            value=entry_data.get("value"),
            note=entry_data.get("note"),
        )
    except EntryError as exc:
        return error("記録できませんでした。" + "；".join(p.reason for p in exc.problems))
    kpi = refs[entry.kpi_id]
    if basis is not _NO_BASIS and basis.get("kpi") != kpi_definition(kpi):
        return error(
            f"記録していません: 確認を表示したあとで「{kpi.label}」の定義（名前・単位・基準値・目標値）が"
            "更新されました。お手数ですが、もう一度 /kpi set で内容を確認してから記録してください。"
        )
    shown = basis.get("actual") if basis is not _NO_BASIS else None
    current = actual_basis(db, entry.kpi_id, entry.year) if basis is not _NO_BASIS else None
    change = record_actual(db, entry, by=by, now=now)
    f = _facts(db, kpi.id, now.date())
    before = (
        f"（前の値 {format_value(change.old_value, kpi.unit)}）"
        if change.old_value is not None
        else "（新規）"
    )
    if basis is not _NO_BASIS and current != shown and current is not None:
        before += (
            f"\n※確認を表示したあとで {actor_label(current['entered_by'])} がこの年の値を"
            f" {format_value(current['value'], kpi.unit)} に更新していました。その値を上書きしています。"
        )
    text = (
        f"記録しました: {kpi.label} {entry.year}年 {format_value(entry.value, kpi.unit)}{before}\n"
        f"記録者: {actor_label(by)}　{now.strftime('%Y-%m-%d %H:%M')}\n"
        f"いまの状況: {f.status}（最新 {_latest_text(f)}）\n"
        "取り消すときは /kpi undo"
    )
    return staff(text, kpis=[f], data={"audit_id": change.audit_id})


def handle_undo(db: sqlite_utils.Database, *, by: str, now: dt.datetime) -> Reply:
    try:
        undone = undo_last(db, by=by, now=now)
    except NothingToUndo:
        return error("取り消せる記録がありません（自分が記録した実績だけを取り消せます）。")
    except UndoConflict as exc:
        c = exc.change
        return error(
            f"取り消せません: {c.kpi_id} の{c.year}年の値は、そのあと {actor_label(exc.later.actor)} が"
            "更新しています。必要なら /kpi set で値を入れ直してください。"
        )
    refs = kpi_refs(db)
    lines = ["取り消しました。"]
    for u in undone[:10]:
        kpi = refs.get(u.kpi_id)
        unit = kpi.unit if kpi else ""
        label = kpi.label if kpi else u.kpi_id
        after = format_value(u.new_value, unit) if u.new_value is not None else "職員入力なし"
        lines.append(f"・{label} {u.year}年: {format_value(u.old_value, unit)} → {after}")
    if len(undone) > 10:
        lines.append(f"ほか{len(undone) - 10}件")
    return staff("\n".join(lines), data={"undone": [u.audit_id for u in undone]})


def handle_kpi_command(db: sqlite_utils.Database, cmd: KpiCommand, *, by: str, now: dt.datetime) -> Reply:
    if isinstance(cmd, KpiList):
        return handle_list(db, cmd, now.date())
    if isinstance(cmd, KpiShow):
        return handle_show(db, cmd, now.date())
    if isinstance(cmd, KpiSet):
        return handle_set(db, cmd)
    return handle_undo(db, by=by, now=now)
