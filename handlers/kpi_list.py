"""KPI lists: all indicators, a goal's, the 数値目標 only, or those with a given status."""

from __future__ import annotations

from handlers import kpi
from handlers.context import Context, clip
from handlers.kpi_status import all_kpi_facts
from handlers.numbers import kpi_line
from handlers.reply import KpiFacts, Reply

_STATUS_EMPTY = {
    "遅れ": "いま「遅れ」になっている指標はありません。",
    "順調": "いま「順調」になっている指標はありません。",
    "達成": "いま「達成」になっている指標はありません。",
}


def answer(
    ctx: Context, *, goal: int | None, status: str | None, numeric_only: bool, measure: int | None = None
) -> Reply:
    """The KPIs of the strategy, of goal ``goal`` or of its 施策 ``measure``, optionally by status."""
    facts = all_kpi_facts(ctx.db, ctx.query.now.date())
    kinds = {k["id"]: k["kind"] for k in ctx.corpus.kpis}
    goal_id = next((g["id"] for g in ctx.corpus.goals if g["number"] == goal), None) if goal else None
    measure_row = next((m for m in ctx.corpus.measures_of(goal_id or "") if m["number"] == measure), None)
    if measure_row is not None:  # 「基本目標1の施策(3)のKPIは？」: that measure's indicators
        order = [k["id"] for k in ctx.corpus.kpis_of_measure(measure_row["id"])]
        by_id = {f.id: f for f in facts}
        facts = [by_id[k] for k in order if k in by_id]
    elif goal_id:
        order = [k["id"] for k in ctx.corpus.kpis_of_goal(goal_id)]
        by_id = {f.id: f for f in facts}
        facts = [by_id[k] for k in order if k in by_id]
    if numeric_only:
        facts = [f for f in facts if kinds.get(f.id) == "numeric_target"]
    selected: list[KpiFacts] = [f for f in facts if status is None or f.status == status]

    scope = f"基本目標{goal}の" if goal else ""
    if measure_row is not None:
        scope += f"施策({measure})の"
    label = "数値目標" if numeric_only else "数値目標・KPI"
    head = f"{scope}{label}のうち「{status}」の指標" if status else f"{scope}{label}（{len(selected)}件）"
    suggestions = []
    if status and not selected:
        waiting = sum(1 for f in facts if f.status == "基準値のみ")
        text = _STATUS_EMPTY.get(status, "該当する指標はありません。")
        if waiting == len(facts):
            text += f"\n{len(facts)}件すべてが、基準値より新しい実績がまだない「基準値のみ」の状態です。"
        elif waiting:
            text += f"\n{len(facts)}件のうち{waiting}件は、基準値より新しい実績がまだない"
            text += "「基準値のみ」の状態です。"
        suggestions = ["KPI一覧", "待機児童の目標は？"]
    else:
        lines = [f"{head}：", *("・" + kpi_line(f) for f in selected)]
        years = {f.target_label for f in selected}
        when = f"目標値はいずれも{years.pop()}年度のもの。" if len(years) == 1 else ""
        lines.append(f"（基準値→目標値【状況】。{when}各指標の詳細は指標名で聞いてください。）")
        text = "\n".join(lines)
        suggestions = [f"{kpi.label(ctx.corpus.by_id[f.id])}の目標は？" for f in selected[:4]]
    if not goal:
        suggestions += [f"基本目標{g['number']}のKPI" for g in ctx.corpus.goals]
    source = "２ 基本戦略 > 数値目標・KPI"
    if goal_id:
        source = f"基本目標{['', '１', '２', '３'][goal] if goal and goal <= 3 else goal} > 数値目標・KPI"
    return Reply(
        kind="kpi_list",
        answered=True,
        text=clip(text, 1000),
        source=source,
        suggestions=suggestions[:13],
        kpis=selected,
    )
