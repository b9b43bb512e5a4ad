"""How the KPIs stand, as a PNG 1040 px wide: one horizontal bar each, the share of the way from
baseline to target (100% = target reached), coloured by status; KPIs with no figure newer than
the baseline are listed with 「実績なし」."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.charts import style
from bot.charts.fonts import new_figure, png_bytes
from handlers.reply import KpiFacts

_LOW, _HIGH = -50.0, 150.0  # bars are clipped to this range of percent; the label keeps the figure
ROW_PX = 54


def wrap(label: str, width: int = 12) -> str:
    """A long name on two lines, broken after 「の」 or 「・」 nearest the middle (else at the middle)."""
    if len(label) <= width:
        return label
    middle = len(label) / 2
    breaks = [i + 1 for i, ch in enumerate(label[:-1]) if ch in "の・"]
    cut = min(breaks, key=lambda i: abs(i - middle)) if breaks else round(middle)
    return f"{label[:cut]}\n{label[cut:]}"


def height_px(count: int) -> int:
    """The overview's height for ``count`` KPIs (its width is ``style.WIDTH_PX``)."""
    return 190 + ROW_PX * max(count, 1)


def draw(facts: list[KpiFacts], title: str) -> Any:
    height = height_px(len(facts))
    fig = new_figure(style.WIDTH_PX, height)
    top = 1 - 120 / height
    fig.subplots_adjust(left=0.33, right=0.95, top=top, bottom=75 / height)
    ax = fig.add_subplot(1, 1, 1)
    fig.text(0.02, 1 - 38 / height, title, fontsize=26, va="center")
    counts = Counter(f.status for f in facts)
    x = 0.02
    for status in ("達成", "順調", "遅れ", "基準値のみ"):
        text = f"■ {status} {counts.get(status, 0)}件"
        fig.text(x, 1 - 84 / height, text, fontsize=16, color=style.STATUS_COLORS[status], va="center")
        x += 0.2 if status != "基準値のみ" else 0.0

    rows = list(range(len(facts)))[::-1]  # first KPI at the top
    for y, f in zip(rows, facts, strict=True):
        color = style.STATUS_COLORS.get(f.status, style.MUTED)
        if f.progress is None:
            ax.text(1, y, "実績なし（基準値のみ）", va="center", fontsize=14, color=style.MUTED)
            continue
        pct = f.progress * 100
        shown = min(max(pct, _LOW), _HIGH)
        ax.barh(y, shown, height=0.62, color=color)
        label = f"{round(pct)}%"
        ax.text(shown + 2 if shown >= 0 else 2, y, label, va="center", fontsize=14, color=color)
    ax.set_yticks(rows, [wrap(f.short_name or f.name) for f in facts], fontsize=15)
    ax.set_xlim(_LOW, _HIGH + 15)
    ax.set_ylim(-0.7, len(facts) - 0.3)
    ax.axvline(0, color=style.BASELINE, linewidth=1)
    ax.axvline(100, color=style.TARGET, linewidth=1.5, linestyle="--")
    ax.set_xticks([-50, 0, 50, 100, 150], ["-50%", "基準値", "50%", "目標値", "150%"], fontsize=14)
    ax.set_xlabel("基準値から目標値までの進み具合", fontsize=15)
    ax.grid(True, axis="x", color="#E0E0E0", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def render(facts: list[KpiFacts], title: str) -> bytes:
    return png_bytes(draw(facts, title))
