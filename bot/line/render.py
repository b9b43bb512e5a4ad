"""Reply → LINE message objects (plain JSON dicts in LINE's documented format), within LINE's limits.

- a text message (at most 5,000 characters, split if ever longer);
- for a KPI answer a Flex bubble (name, baseline → target, latest actual, status in colour), for a list
  of KPIs a carousel of small bubbles;
- quick-reply buttons from the suggestions (at most 13, labels at most 20 characters, the button sends
  the full question);
- at most 5 messages per reply.

Nothing here touches the SDK: ``bot.line.api`` converts these dicts to SDK models at the boundary.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.line import texts as T
from handlers.reply import KpiFacts, Reply

# LINE Messaging API limits (https://developers.line.biz/en/reference/messaging-api/)
MAX_MESSAGES = 5
MAX_TEXT_CHARS = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_ACTION_TEXT = 300
MAX_ALT_TEXT = 400
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
MAX_CAROUSEL_BUBBLES = 12
CAROUSEL_BUBBLES = 10  # what we actually show: a longer list is better read as text

STATUS_COLORS: dict[str, str] = {
    "達成": "#1E8E3E",  # green
    "順調": "#1A73E8",  # blue
    "遅れ": "#D93025",  # red
    "基準値のみ": "#5F6368",  # grey
}
_MUTED = "#5F6368"
_COLOR_RE = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")

Message = dict[str, Any]


# --- sizes as LINE counts them -------------------------------------------------------------------


def line_length(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts as two), as LINE counts."""
    return len(text.encode("utf-16-le")) // 2


def _prefix(text: str, limit: int) -> str:
    """The longest prefix of ``text`` within ``limit`` LINE characters."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return text[:i]
    return text


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` LINE characters, with an ellipsis when cut."""
    if line_length(text) <= limit:
        return text
    return _prefix(text, limit - line_length(T.ELLIPSIS)) + T.ELLIPSIS


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """Split into chunks of at most ``limit`` LINE characters, preferring line breaks."""
    chunks: list[str] = []
    rest = text
    while line_length(rest) > limit:
        cut = _prefix(rest, limit)
        brk = cut.rfind("\n")
        if brk > len(cut) // 2:
            cut = cut[: brk + 1]
        chunks.append(cut.rstrip("\n"))
        rest = rest[len(cut) :]
    if rest or not chunks:
        chunks.append(rest)
    return chunks


# --- messages ------------------------------------------------------------------------------------


def text_message(text: str) -> Message:
    return {"type": "text", "text": clip(text, MAX_TEXT_CHARS) if text else " "}


def text_messages(text: str, max_messages: int = MAX_MESSAGES) -> list[Message]:
    chunks = split_text(text or " ")
    if len(chunks) > max_messages:
        chunks = [*chunks[: max_messages - 1], clip("".join(chunks[max_messages - 1 :]), MAX_TEXT_CHARS)]
    return [{"type": "text", "text": c or " "} for c in chunks]


def quick_reply(suggestions: Iterable[str]) -> dict[str, Any] | None:
    """A quick-reply object whose buttons send each suggestion as the user's own message."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for s in suggestions:
        question = " ".join(s.split())
        if not question or question in seen:
            continue
        seen.add(question)
        items.append(
            {
                "type": "action",
                "action": {
                    "type": "message",
                    "label": clip(question, MAX_QUICK_REPLY_LABEL),
                    "text": clip(question, MAX_ACTION_TEXT),
                },
            }
        )
        if len(items) == MAX_QUICK_REPLY_ITEMS:
            break
    return {"items": items} if items else None


def with_quick_reply(messages: list[Message], suggestions: Iterable[str]) -> list[Message]:
    """Attach quick replies to the last message (LINE shows them only there)."""
    qr = quick_reply(suggestions)
    if qr is None or not messages:
        return messages
    last = dict(messages[-1])
    last["quickReply"] = qr
    return [*messages[:-1], last]


def render_reply(reply: Reply) -> list[Message]:
    """The LINE messages for one channel-neutral reply."""
    flex = kpi_flex_message(reply.kpis, single=reply.kind == "kpi") if reply.kpis else None
    budget = MAX_MESSAGES - (1 if flex else 0)
    messages = text_messages(reply.text, max_messages=budget)
    if flex is not None:
        messages.append(flex)
    return with_quick_reply(messages, reply.suggestions)


def simple_messages(text: str, suggestions: Sequence[str] = T.EXAMPLE_QUESTIONS) -> list[Message]:
    return with_quick_reply(text_messages(text), suggestions)


def welcome_messages() -> list[Message]:
    return simple_messages(T.WELCOME)


def non_text_messages(message_type: str) -> list[Message]:
    lead = T.NON_TEXT.get(message_type, T.NON_TEXT_DEFAULT)
    return simple_messages(f"{lead}\n{T.WHAT_I_CAN_DO}")


def group_join_messages(trigger: str) -> list[Message]:
    return simple_messages(T.GROUP_JOIN.format(trigger=trigger), ())


def too_long_messages(limit: int) -> list[Message]:
    return simple_messages(T.TOO_LONG.format(limit=limit))


# --- KPI Flex bubbles ----------------------------------------------------------------------------


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


# --- limit checks --------------------------------------------------------------------------------


def _json_bytes(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _check_component(c: Any, path: str, problems: list[str]) -> None:
    if not isinstance(c, dict) or "type" not in c:
        problems.append(f"{path}: not a component")
        return
    for key in ("color", "backgroundColor", "borderColor", "separatorColor"):
        if key in c and not _COLOR_RE.fullmatch(str(c[key])):
            problems.append(f"{path}.{key}: bad colour {c[key]!r}")
    if c["type"] == "box":
        if c.get("layout") not in ("horizontal", "vertical", "baseline"):
            problems.append(f"{path}: box without a valid layout")
        contents = c.get("contents")
        if not isinstance(contents, list):
            problems.append(f"{path}: box without contents")
            return
        for i, child in enumerate(contents):
            _check_component(child, f"{path}.contents[{i}]", problems)
    elif c["type"] == "text":
        text = c.get("text")
        if not (isinstance(text, str) and text) and not c.get("contents"):
            problems.append(f"{path}: text component without text")


def check_flex_container(container: Any) -> list[str]:
    """Problems LINE would reject in a Flex container (empty list when it is fine)."""
    problems: list[str] = []
    if not isinstance(container, dict):
        return ["container is not an object"]
    if container.get("type") == "bubble":
        bubbles = [container]
        if _json_bytes(container) > MAX_BUBBLE_BYTES:
            problems.append(f"bubble larger than {MAX_BUBBLE_BYTES} bytes")
    elif container.get("type") == "carousel":
        bubbles = container.get("contents") or []
        if not 1 <= len(bubbles) <= MAX_CAROUSEL_BUBBLES:
            problems.append(f"carousel must hold 1..{MAX_CAROUSEL_BUBBLES} bubbles")
        size = _json_bytes(container)
        if size > MAX_CAROUSEL_BYTES:
            problems.append(f"carousel larger than {MAX_CAROUSEL_BYTES} bytes")
        if size > MAX_BUBBLE_BYTES:  # only then can one of its bubbles be too large
            problems += [
                f"bubble {i} larger than {MAX_BUBBLE_BYTES} bytes"
                for i, b in enumerate(bubbles)
                if _json_bytes(b) > MAX_BUBBLE_BYTES
            ]
    else:
        return ["container type must be bubble or carousel"]
    for i, bubble in enumerate(bubbles):
        if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
            problems.append(f"contents[{i}] is not a bubble")
            continue
        for block in ("header", "hero", "body", "footer"):
            if block in bubble:
                _check_component(bubble[block], f"bubble[{i}].{block}", problems)
    return problems


def check_message(message: Message) -> list[str]:
    """Problems LINE would reject in one message object."""
    problems: list[str] = []
    mtype = message.get("type")
    if mtype == "text":
        text = message.get("text")
        if not isinstance(text, str) or not text:
            problems.append("text message without text")
        elif line_length(text) > MAX_TEXT_CHARS:
            problems.append(f"text longer than {MAX_TEXT_CHARS} characters")
    elif mtype == "flex":
        alt = message.get("altText")
        if not isinstance(alt, str) or not alt or line_length(alt) > MAX_ALT_TEXT:
            problems.append(f"altText must be 1..{MAX_ALT_TEXT} characters")
        problems += check_flex_container(message.get("contents"))
    else:
        problems.append(f"unexpected message type {mtype!r}")
    qr = message.get("quickReply")
    if qr is not None:
        items = qr.get("items") or []
        if not 1 <= len(items) <= MAX_QUICK_REPLY_ITEMS:
            problems.append(f"quick reply must hold 1..{MAX_QUICK_REPLY_ITEMS} items")
        for item in items:
            action = item.get("action", {})
            label = action.get("label", "")
            if not label or line_length(label) > MAX_QUICK_REPLY_LABEL:
                problems.append(f"quick-reply label must be 1..{MAX_QUICK_REPLY_LABEL} characters")
            if (
                action.get("type") == "message"
                and not 1 <= line_length(action.get("text", "")) <= MAX_ACTION_TEXT
            ):
                problems.append(f"quick-reply text must be 1..{MAX_ACTION_TEXT} characters")
    return problems


def check_messages(messages: Sequence[Message]) -> list[str]:
    """Problems with a whole reply (message count, each message)."""
    problems = [] if 1 <= len(messages) <= MAX_MESSAGES else [f"a reply holds 1..{MAX_MESSAGES} messages"]
    for i, m in enumerate(messages):
        problems += [f"messages[{i}]: {p}" for p in check_message(m)]
    return problems
