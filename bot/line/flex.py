"""KPI answers as LINE Flex messages: one KPI as a bubble (name, baseline → target, latest actual,
status in colour; its trend chart as hero image when a public https base is configured), up to ten
KPIs as a carousel of small bubbles, a longer list as one compact list bubble. Tapping a KPI in a list
asks about it (a postback carrying the question)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from bot.charts import overview_chart, style
from bot.charts.links import ChartLinks, goal_number
from bot.line import texts as T
from bot.line.limits import MAX_ACTION_TEXT, MAX_ALT_TEXT, Message, check_message, clip
from handlers.numbers import natural
from handlers.reply import KpiFacts

CAROUSEL_BUBBLES = 10  # up to this many KPIs: a carousel; more: one compact list bubble
POSTBACK_LABEL = 20

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


def _reading(value: float, unit: str) -> str | None:
    """「2兆4,960億円」 for 2,496十億円: shown under the printed figure where the unit is a scale."""
    return natural(value, unit)


def _join(*notes: str | None) -> str | None:
    kept = [n for n in notes if n]
    return "・".join(kept) if kept else None


def ask_action(question: str) -> dict[str, Any]:
    """A postback that asks ``question`` (answered like a typed question, shown as the user's text)."""
    q = clip(question, MAX_ACTION_TEXT)
    return {
        "type": "postback",
        "label": clip(question, POSTBACK_LABEL),
        "data": urlencode({"q": q}),
        "displayText": q,
    }


def kpi_question(k: KpiFacts) -> str:
    return T.FLEX_TAP_QUESTION.format(name=k.short_name or k.name)


def _hero(url: str, alt_ratio: str = "2:1") -> dict[str, Any]:
    return {
        "type": "image",
        "url": url,
        "size": "full",
        "aspectRatio": alt_ratio,
        "aspectMode": "fit",
        "animated": False,
    }


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
    return _with_unit(k.latest_value, k.unit), _join(_reading(k.latest_value, k.unit), note)


def kpi_bubble(
    k: KpiFacts, *, size: str = "mega", links: ChartLinks | None = None, tap: bool = False
) -> dict[str, Any]:
    """One KPI as a Flex bubble: name, baseline → target, latest actual, status badge in colour; its
    chart as hero image with ``links``; with ``tap`` the bubble asks about the KPI when tapped."""
    color = STATUS_COLORS.get(k.status, _MUTED)
    latest, latest_note = _latest_text(k)
    body: list[dict[str, Any]] = [
        _row(
            T.FLEX_BASELINE,
            _with_unit(k.baseline_value, k.unit),
            _join(_reading(k.baseline_value, k.unit), k.baseline_label),
        ),
        _row(
            T.FLEX_TARGET,
            _target_text(k),
            _join(
                _reading(k.target_value, k.unit),
                k.target_label,
                T.FLEX_DOWN if k.direction == "down" and k.comparator == "point" else None,
            ),
        ),
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
    bubble: dict[str, Any] = {
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
    if links is not None:
        bubble["hero"] = _hero(links.kpi(k.id))
    if tap:
        bubble["body"]["action"] = ask_action(kpi_question(k))
    return bubble


def _list_row(k: KpiFacts) -> dict[str, Any]:
    return {
        "type": "box",
        "layout": "horizontal",
        "spacing": "sm",
        "paddingTop": "sm",
        "paddingBottom": "sm",
        "action": ask_action(kpi_question(k)),
        "contents": [
            {"type": "text", "text": clip(k.short_name or k.name, 40), "size": "sm", "wrap": True, "flex": 5},
            {
                "type": "text",
                "text": k.status,
                "size": "xs",
                "weight": "bold",
                "color": STATUS_COLORS.get(k.status, _MUTED),
                "align": "end",
                "gravity": "center",
                "flex": 2,
            },
        ],
    }


def kpi_list_bubble(
    kpis: Sequence[KpiFacts], *, links: ChartLinks | None = None, source: str | None = None
) -> dict[str, Any]:
    """Many KPIs in one compact bubble: a row each (name, status in colour), a tap asks about it."""
    rows: list[dict[str, Any]] = []
    for i, k in enumerate(kpis):
        if i:
            rows.append({"type": "separator"})
        rows.append(_list_row(k))
    bubble: dict[str, Any] = {
        "type": "bubble",
        "size": "giga",
        "header": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {"type": "text", "text": T.FLEX_LIST_HEADER.format(count=len(kpis)), "weight": "bold"},
                {"type": "text", "text": T.FLEX_LIST_HINT, "size": "xs", "color": _MUTED, "wrap": True},
            ],
        },
        "body": {"type": "box", "layout": "vertical", "contents": rows},
    }
    if source:
        bubble["footer"] = {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "text",
                    "text": clip(f"{T.FLEX_SOURCE}：{source}", 200),
                    "size": "xxs",
                    "color": _MUTED,
                    "wrap": True,
                }
            ],
        }
    if links is not None:
        goals = {k.goal_id for k in kpis}
        goal = goal_number(goals.pop()) if len(goals) == 1 else None
        ratio = f"{style.WIDTH_PX}:{overview_chart.height_px(len(kpis))}"  # "fit" absorbs any difference
        bubble["hero"] = _hero(links.overview(goal), ratio)
    return bubble


def kpi_flex_message(
    kpis: Sequence[KpiFacts],
    *,
    single: bool = True,
    links: ChartLinks | None = None,
    source: str | None = None,
) -> Message | None:
    """A Flex message for one KPI (a bubble), up to ten (a carousel, each bubble asks about its KPI
    when tapped) or more (one compact list bubble)."""
    if not kpis:
        return None
    if single or len(kpis) == 1:
        k = kpis[0]
        alt = T.FLEX_ALT_KPI.format(name=k.name, status=k.status, target=_target_text(k))
        contents: dict[str, Any] = kpi_bubble(k, links=links, tap=not single)
    elif len(kpis) <= CAROUSEL_BUBBLES:
        alt = T.FLEX_ALT_LIST.format(count=len(kpis))
        contents = {
            "type": "carousel",
            "contents": [kpi_bubble(k, size="kilo", links=links, tap=True) for k in kpis],
        }
    else:
        alt = T.FLEX_ALT_LIST.format(count=len(kpis))
        contents = kpi_list_bubble(kpis, links=links, source=source)
    message = {"type": "flex", "altText": clip(alt, MAX_ALT_TEXT), "contents": contents}
    problems = check_message(message)
    if problems:  # never send what LINE would refuse: the text reply stands alone
        return None
    return message
