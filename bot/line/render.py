"""Reply → LINE message objects (plain JSON dicts in LINE's documented format), within LINE's limits.

- a text message (at most 5,000 characters, split if ever longer);
- for a KPI answer a short text (what the bubble does not say) and a Flex bubble (name, baseline →
  target, latest actual, status in colour, the chart as hero image when a public https base is set);
  for a list a one-line summary and a carousel (up to ten) or one compact list bubble;
- every other answer ends with its source (出典);
- quick-reply buttons from the suggestions (at most 13, labels at most 20 characters, the button sends
  the full question);
- at most 5 messages per reply.

The Flex bubbles are in ``bot.line.flex``, LINE's limits and checks in ``bot.line.limits``.
Nothing here touches the SDK: ``bot.line.api`` converts these dicts to SDK models at the boundary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from bot.charts.links import ChartLinks
from bot.line import texts as T
from bot.line.flex import kpi_flex_message
from bot.line.limits import (
    MAX_ACTION_TEXT,
    MAX_MESSAGES,
    MAX_QUICK_REPLY_ITEMS,
    MAX_QUICK_REPLY_LABEL,
    MAX_TEXT_CHARS,
    Message,
    clip,
    split_text,
)
from handlers.reply import Reply

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


_STATUS_ORDER = ("達成", "順調", "遅れ", "基準値のみ")


def _lead(reply: Reply) -> str:
    """The text above a KPI bubble: what the bubble does not say, never its figures again."""
    lines = reply.text.split("\n")
    if reply.kind == "kpi":
        # the name, where it stands in the strategy and the unit; first-term series are kept
        return "\n".join([lines[0], *(x for x in lines[1:] if x.startswith("・第1期"))])
    head = lines[0].rstrip("：:")
    counts = Counter(k.status for k in reply.kpis)
    summary = "・".join(f"{s}{counts[s]}件" for s in _STATUS_ORDER if counts.get(s))
    return T.LIST_LEAD.format(head=head, counts=summary)


def with_source(text: str, source: str | None) -> str:
    """Every answer says where in the strategy it comes from."""
    if not source or T.FLEX_SOURCE in text:
        return text
    return f"{text}\n\n{T.SOURCE_LINE.format(source=source)}"


def render_reply(reply: Reply, links: ChartLinks | None = None) -> list[Message]:
    """The LINE messages for one channel-neutral reply; ``links`` (a public https base) adds charts."""
    flex = None
    if reply.kpis:
        flex = kpi_flex_message(reply.kpis, single=reply.kind == "kpi", links=links, source=reply.source)
    budget = MAX_MESSAGES - (1 if flex else 0)
    if flex is not None:  # the bubble shows the figures and the source
        text = _lead(reply)
    else:
        text = with_source(reply.text, reply.source) if reply.answered else reply.text
    messages = text_messages(text, max_messages=budget)
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
