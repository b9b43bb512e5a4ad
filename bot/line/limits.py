"""LINE's limits (https://developers.line.biz/en/reference/messaging-api/): sizes as LINE counts them
and checks of whole messages, so that nothing LINE would refuse is ever sent. ``bot.line.api`` checks
every reply here before sending it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from bot.line import texts as T

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

_COLOR_RE = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")

Message = dict[str, Any]


# --- sizes as LINE counts them -------------------------------------------------------------------


def line_length(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts as two), as LINE counts; a lone
    surrogate counts as one (it never raises)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


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
