"""One KPI's trend as a PNG (1040×520): first-term actuals and staff-entered actuals as points on a
line, the baseline and the target (with its year) as marked points, and the planned straight path
from baseline to target, dashed. A target below the baseline is the same picture going down."""

from __future__ import annotations

from typing import Any

from bot.charts import style
from bot.charts.data import KpiSeries
from bot.charts.fonts import new_figure, png_bytes
from handlers.numbers import display_name, number, with_unit


def _tick(year: int) -> str:
    return f"{year}\n({style.era(year)})"


def _annotate(ax: Any, x: float, y: float, text: str, *, above: bool, color: str) -> None:
    ax.annotate(
        text,
        (x, y),
        xytext=(0, 16 if above else -16),
        textcoords="offset points",
        ha="center",
        va="bottom" if above else "top",
        fontsize=16,
        color=color,
    )


def draw(series: KpiSeries) -> Any:
    """The figure (not yet rendered); :func:`render` returns its PNG."""
    f = series.facts
    fig = new_figure(style.WIDTH_PX, style.KPI_HEIGHT_PX)
    fig.subplots_adjust(left=0.11, right=0.97, top=0.78, bottom=0.19)
    ax = fig.add_subplot(1, 1, 1)
    name = display_name(f.name, f.short_name)
    fig.text(0.02, 0.94, f"{name}の推移", fontsize=26, va="center")
    status_color = style.STATUS_COLORS.get(f.status, style.MUTED)
    summary = f"状況：{f.status}"
    if f.latest_value is not None and f.latest_year is not None:
        summary += f"　最新の実績 {with_unit(f.latest_value, f.unit)}（{f.latest_year}年）"
    else:
        summary += "（基準値より新しい実績はまだありません）"
    fig.text(0.02, 0.86, summary, fontsize=17, color=status_color, va="center")

    up = f.target_value >= f.baseline_value
    ax.plot(
        [f.baseline_year, f.target_year],
        [f.baseline_value, f.target_value],
        linestyle="--",
        linewidth=2,
        color=style.TARGET,
        alpha=0.7,
        label="基準値から目標値への計画の線",
    )
    if series.first_term:
        ax.plot(
            [p.year for p in series.first_term],
            [p.value for p in series.first_term],
            marker="o",
            markersize=9,
            linewidth=2.2,
            color=style.ACTUAL,
            label="第1期の実績",
        )
    if series.staff:
        ax.plot(
            [p.year for p in series.staff],
            [p.value for p in series.staff],
            marker="s",
            markersize=10,
            linewidth=2.2,
            color=style.STAFF,
            label="第2期の実績（市が登録）",
        )
    ax.scatter([f.baseline_year], [f.baseline_value], marker="D", s=110, color=style.BASELINE, zorder=5)
    ax.scatter([f.target_year], [f.target_value], marker="*", s=420, color=style.TARGET, zorder=5)
    _annotate(
        ax,
        f.baseline_year,
        f.baseline_value,
        f"基準値 {number(f.baseline_value, f.unit)}\n{f.baseline_label}",
        above=not up,
        color=style.BASELINE,
    )
    suffix = {"at_least": "以上", "at_most": "以下"}.get(f.comparator, "")
    _annotate(
        ax,
        f.target_year,
        f.target_value,
        f"目標値 {number(f.target_value, f.unit)}{suffix}\n{f.target_label}",
        above=up,
        color=style.TARGET,
    )

    years = [f.baseline_year, f.target_year, *(p.year for p in series.first_term + series.staff)]
    values = [f.baseline_value, f.target_value, *(p.value for p in series.first_term + series.staff)]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.45 or abs(hi) * 0.2 or 1.0
    ax.set_ylim(lo - pad, hi + pad)
    first, last = min(years), max(years)
    ax.set_xlim(first - 0.7, last + 0.7)
    ticks = list(range(first, last + 1))
    ax.set_xticks(ticks, [_tick(y) for y in ticks], fontsize=12 if len(ticks) > 10 else 14)
    ax.yaxis.set_major_formatter(_formatter(f.unit))
    ax.tick_params(axis="y", labelsize=14)
    ax.set_ylabel(f"単位：{f.unit}", fontsize=15)
    ax.set_xlabel("年（年度）", fontsize=15)
    ax.grid(True, color="#E0E0E0", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left" if not up else "lower right", fontsize=14, frameon=False)
    return fig


def _formatter(unit: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: number(round(v, 2), unit if unit == "倍" else ""))


def render(series: KpiSeries) -> bytes:
    return png_bytes(draw(series))
