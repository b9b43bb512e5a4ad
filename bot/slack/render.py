"""Reply → Slack Block Kit: the answer text, KPI fields (the text then leaves the figures to them), the
chart (with a public https base), tables, a source line and buttons.

Pure functions: a :class:`~handlers.reply.Reply` in, the keyword arguments of ``chat.postMessage``
/ ``respond`` (``text`` for notifications, ``blocks``) out. Suggestion buttons carry the question
they ask in their ``value``; the confirm button of ``/kpi set`` carries the validated entry.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from bot.charts.links import ChartLinks, goal_number
from bot.slack import texts as T
from handlers.reply import KpiFacts, Reply
from strategy_data.actuals import format_value

ASK_ACTION_PREFIX = "ask_suggestion"
ASK_ACTION = re.compile(rf"^{ASK_ACTION_PREFIX}(?:_\d+)?$")
CONFIRM_ACTION = "kpi_set_confirm"
SHARE_ACTION = "share_answer"
CANCEL_ACTION = "kpi_set_cancel"

SECTION_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
NOTIFICATION_LIMIT = 300


def escape(text: str) -> str:
    """Escape Slack's control characters and show stored staff actors (``slack:U…``) as mentions."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\bslack:([UW][A-Z0-9]{2,})\b", r"<@\1>", text)


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}


def _plain(text: str, limit: int = BUTTON_TEXT_LIMIT) -> dict[str, Any]:
    return {
        "type": "plain_text",
        "text": text if len(text) <= limit else text[: limit - 1] + "…",
        "emoji": True,
    }


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(*texts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(t) for t in texts[:10]]}


def kpi_fields(f: KpiFacts) -> dict[str, Any]:
    """One KPI's figures as a two-column section."""
    latest = T.KPI_NO_ACTUAL
    if f.latest_value is not None and f.latest_year is not None:
        origin = T.KPI_STAFF_ORIGIN if f.latest_origin == "staff" else ""
        latest = f"{format_value(f.latest_value, f.unit)}（{f.latest_year}年）{origin}"
    fields = [
        (T.KPI_FIELDS["baseline"], f"{format_value(f.baseline_value, f.unit)}（{f.baseline_label}）"),
        (T.KPI_FIELDS["target"], f"{format_value(f.target_value, f.unit)}（{f.target_label}）"),
        (T.KPI_FIELDS["latest"], latest),
        (T.KPI_FIELDS["status"], f"{T.STATUS_EMOJI.get(f.status, '')} {f.status}".strip()),
    ]
    if f.progress is not None and f.status != "基準値のみ":
        fields.append((T.KPI_FIELDS["progress"], f"{round(f.progress * 100)}%"))
    return {
        "type": "section",
        "text": _mrkdwn(f"*{escape(f.name)}*"),
        "fields": [_mrkdwn(f"*{label}*\n{escape(value)}") for label, value in fields],
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table_block(table: dict[str, Any]) -> dict[str, Any]:
    """A monospace table (Slack has no table block in every client): columns padded to width."""
    columns = [str(c) for c in table.get("columns", [])]
    rows = [[str(c) for c in row] for row in table.get("rows", [])]
    widths = [max([_width(c), *(_width(r[i]) for r in rows if i < len(r))]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=False)).rstrip()]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]
    body = ""
    for i, line in enumerate(lines):
        if len(body) + len(line) + 20 > SECTION_LIMIT:
            body += f"… (+{len(lines) - i})\n"
            break
        body += line + "\n"
    return _section(f"```{escape(body.rstrip())}```")


def _audit_context(audit: list[dict[str, Any]]) -> dict[str, Any]:
    lines = [
        f"{a['at']} {T.CHANGE_ACTIONS.get(a['action'], a['action'])} {a['year']}年: "
        f"{a['old']} → {a['new']}（{a['actor']}）"
        for a in audit
    ]
    return _context(f"*{T.RECENT_CHANGES}*\n" + escape("\n".join(lines)))


def confirm_actions(confirm: dict[str, Any]) -> dict[str, Any]:
    value = json.dumps(confirm, ensure_ascii=False, separators=(",", ":"))
    if len(value) > BUTTON_VALUE_LIMIT:  # pragma: no cover - notes are limited to 200 characters
        raise ValueError("confirmation payload too large for a button")
    return {
        "type": "actions",
        "block_id": "kpi_set_confirm",
        "elements": [
            {
                "type": "button",
                "action_id": CONFIRM_ACTION,
                "text": _plain(T.CONFIRM_BUTTON),
                "style": "primary",
                "value": value,
            },
            {
                "type": "button",
                "action_id": CANCEL_ACTION,
                "text": _plain(T.CANCEL_BUTTON),
                "value": "cancel",
            },
        ],
    }


def suggestion_actions(suggestions: list[str]) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": "suggestions",
        "elements": [
            {
                "type": "button",
                "action_id": f"{ASK_ACTION_PREFIX}_{i}",
                "text": _plain(s),
                "value": s[:BUTTON_VALUE_LIMIT],
            }
            for i, s in enumerate(suggestions[:25])
        ],
    }


def image_block(url: str, alt: str) -> dict[str, Any]:
    return {"type": "image", "image_url": url, "alt_text": alt[:2000]}


def chart_block(reply: Reply, links: ChartLinks | None) -> dict[str, Any] | None:
    """The KPI's chart (a KPI answer, ``/kpi show``) or the overview (a list), with a public base."""
    if links is None or not reply.kpis:
        return None
    if len(reply.kpis) == 1 and reply.kind in {"kpi", "staff"}:
        f = reply.kpis[0]
        return image_block(links.kpi(f.id), T.CHART_ALT.format(name=f.short_name or f.name))
    if reply.kind == "kpi_list":
        goals = {f.goal_id for f in reply.kpis}
        goal = goal_number(goals.pop()) if len(goals) == 1 else None
        return image_block(links.overview(goal), T.OVERVIEW_ALT)
    return None


def _lead(text: str) -> str:
    """A KPI answer's text without the figures the fields show: its first line (name, place in
    the strategy, unit) and any first-term series."""
    lines = text.split("\n")
    return "\n".join([lines[0], *(x for x in lines[1:] if x.startswith("・第1期"))])


def shared_by(user_id: str) -> dict[str, Any]:
    safe = re.sub(r"[^A-Z0-9]", "", user_id.upper())[:20]
    return _context(T.SHARED_BY.format(user=safe))


def share_actions(question: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": "share",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION,
                "text": _plain(T.SHARE_BUTTON),
                "value": question[:BUTTON_VALUE_LIMIT],
            }
        ],
    }


def render(
    reply: Reply,
    *,
    question: str | None = None,
    links: ChartLinks | None = None,
    share: bool = False,
) -> dict[str, Any]:
    """The message for ``reply``: ``{"text": notification text, "blocks": [...]}``. ``links`` adds the
    chart; ``share`` (with ``question``) a button that posts the same answer for everyone."""
    blocks: list[dict[str, Any]] = []
    if question:
        blocks.append(_context(escape(T.QUESTION_ECHO.format(question=question[:200]))))
    fields = len(reply.kpis) == 1 and reply.kind != "staff"  # staff replies state the figures in their text
    blocks.append(_section(escape(_lead(reply.text) if fields and reply.kind == "kpi" else reply.text)))
    if fields:
        blocks.append(kpi_fields(reply.kpis[0]))
    if chart := chart_block(reply, links):
        blocks.append(chart)
    if table := reply.data.get("table"):
        blocks.append(table_block(table))
    if audit := reply.data.get("audit"):
        blocks.append(_audit_context(audit))
    if confirm := reply.data.get("confirm"):
        blocks.append(confirm_actions(confirm))
    if reply.source:
        blocks.append(_context(escape(T.SOURCE.format(source=reply.source))))
    if reply.suggestions:
        blocks.append({"type": "context", "elements": [_mrkdwn(T.SUGGESTIONS_LABEL)]})
        blocks.append(suggestion_actions(reply.suggestions))
    if share and question and reply.kind not in {"staff", "error"}:
        blocks.append(share_actions(question))
    notification = reply.text.replace("\n", " ")
    if len(notification) > NOTIFICATION_LIMIT:
        notification = notification[: NOTIFICATION_LIMIT - 1] + "…"
    return {"text": escape(notification) or T.FALLBACK_NOTIFICATION, "blocks": blocks}


def render_text(text: str) -> dict[str, Any]:
    """A plain message (refusals, short errors)."""
    return {"text": escape(text), "blocks": [_section(escape(text))]}
