"""KPI answers as LINE Flex messages: one KPI as a bubble (name, baseline → target, latest actual,
status in colour), a list of KPIs as a carousel of small bubbles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from bot.line import texts as T
from bot.line.limits import MAX_ALT_TEXT, Message, check_message, clip
from handlers.reply import KpiFacts

CAROUSEL_BUBBLES = 10  # what we actually show: a longer list is better read as text

STATUS_COLORS: dict[str, str] = {
    "達成": "#1E8E3E",  # green
    "順調": "#1A73E8",  # blue
    "遅れ": "#D93025",  # red
    "基準値のみ": "#5F6368",  # grey
}
_MUTED = "#5F6368"


def format_number(value: float) -> str:
    """2496 → "2,496"; 1.14 → "1.14"; 45.30 → "45.3"."""
    if math.isfinite(value) and value == int(value):
        return f"{int(value):,}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text


def _with_unit(value: float, unit: str) -> str:
    return f"{format_number(value)}{unit}"


def _target_text(k: KpiFacts) -> str:
    suffix = {"at_least": T.AT_LEAST, "at_most": T.AT_MOST}.get(k.comparator, "")
    return f"{_with_unit(k.target_value, k.unit)}{suffix}"


def _row(label: str, value: str, note: str | None = None, *, bold: bool = False) -> dict[str, Any]:
    right: list[dict[str, Any]] = [
        {"type": "text", "text": value, "size": "sm", "wrap": True, "weight": "bold" if bold else "regular"}
    ]
    if note:
        right.append({"type": "text", "text": note, "size": "xs", "color": _MUTED, "wrap": True})
    return {
        "type": "box",
        "layout": "horizontal",
        "spacing": "md",
        "contents": [
            {"type": "text", "text": label, "size": "sm", "color": _MUTED, "flex": 3},
            {"type": "box", "layout": "vertical", "flex": 5, "contents": right},
        ],
    }


def year_label(year: int) -> str:
    """2021 → "R3(2021)", 2019 → "H31(2019)": the way the strategy labels its years."""
    if year >= 2020:
        return f"R{year - 2018}({year})"
    if year >= 1989:
        return f"H{year - 1988}({year})"
    return f"{year}年"


def _latest_text(k: KpiFacts) -> tuple[str, str | None]:
    if k.latest_value is None:
        return T.FLEX_NO_LATEST, None
    note = year_label(k.latest_year) if k.latest_year is not None else None
    return _with_unit(k.latest_value, k.unit), note


def kpi_bubble(k: KpiFacts, *, size: str = "mega") -> dict[str, Any]:
    """One KPI as a Flex bubble: name, baseline → target, latest actual, status badge in colour."""
    color = STATUS_COLORS.get(k.status, _MUTED)
    latest, latest_note = _latest_text(k)
    body: list[dict[str, Any]] = [
        _row(T.FLEX_BASELINE, _with_unit(k.baseline_value, k.unit), k.baseline_label),
        _row(T.FLEX_TARGET, _target_text(k), k.target_label),
        _row(T.FLEX_LATEST, latest, latest_note, bold=True),
    ]
    if k.progress is not None and math.isfinite(k.progress):
        body.append(_row(T.FLEX_PROGRESS, f"{round(k.progress * 100)}%"))
    body.append(
        {
            "type": "box",
            "layout": "vertical",
            "margin": "lg",
            "paddingAll": "sm",
            "cornerRadius": "md",
            "backgroundColor": color,
            "contents": [
                {"type": "text", "text": k.status, "color": "#FFFFFF", "weight": "bold", "align": "center"}
            ],
        }
    )
    return {
        "type": "bubble",
        "size": size,
        "header": {
            "type": "box",
            "layout": "vertical",
            "spacing": "xs",
            "contents": [
                {"type": "text", "text": T.FLEX_KPI_HEADER, "size": "xs", "color": _MUTED},
                {"type": "text", "text": clip(k.name, 120), "weight": "bold", "size": "md", "wrap": True},
            ],
        },
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "text",
                    "text": clip(f"{T.FLEX_SOURCE}：{k.source}", 200),
                    "size": "xxs",
                    "color": _MUTED,
                    "wrap": True,
                }
            ],
        },
        "styles": {"header": {"separator": False}, "footer": {"separator": True}},
    }


def kpi_flex_message(kpis: Sequence[KpiFacts], *, single: bool = True) -> Message | None:
    """A Flex message for one KPI (a bubble) or several (a carousel of the first ten)."""
    if not kpis:
        return None
    if single or len(kpis) == 1:
        k = kpis[0]
        alt = T.FLEX_ALT_KPI.format(name=k.name, status=k.status, target=_target_text(k))
        contents: dict[str, Any] = kpi_bubble(k)
    else:
        shown = list(kpis)[:CAROUSEL_BUBBLES]
        alt = T.FLEX_ALT_LIST.format(count=len(kpis))
        contents = {"type": "carousel", "contents": [kpi_bubble(k, size="kilo") for k in shown]}
    message = {"type": "flex", "altText": clip(alt, MAX_ALT_TEXT), "contents": contents}
    problems = check_message(message)
    if problems:  # never send what LINE would refuse: the text reply stands alone
        return None
    return message
