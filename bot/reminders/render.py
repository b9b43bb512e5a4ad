"""A committee reminder (``handlers.reminder_text.ReminderContent``) as Slack Block Kit and a LINE Flex
Message. The wording lives in ``handlers.reminder_text``; only layout and channel limits are here.
"""

from __future__ import annotations

from typing import Any

from bot.charts.links import ChartLinks
from bot.line import flex, limits
from bot.line import render as LR
from handlers.reminder_text import ReminderContent

# Slack Block Kit limits
SLACK_SECTION_TEXT = 3000
SLACK_HEADER_TEXT = 150
SLACK_FALLBACK_TEXT = 4000

UNSUBSCRIBE_TEXT = "リマインド解除"
FLEX_AGENDA_MAX = 8
FLEX_BEHIND_MAX = 6

_KIND_COLORS = {"reminder": "#1A73E8", "moved": "#E37400", "cancelled": "#D93025"}
_LATE_COLOR = "#B06000"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Slack ---------------------------------------------------------------------------------------


def slack_text(content: ReminderContent) -> str:
    """The notification / fallback text of the post."""
    return _clip(content.plain_text(), SLACK_FALLBACK_TEXT)


def slack_blocks(content: ReminderContent, links: ChartLinks | None = None) -> list[dict[str, Any]]:
    """The Slack post; ``links`` (a public https base) adds the KPI overview chart to the briefing."""
    e = _mrkdwn_escape
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _clip(content.headline, SLACK_HEADER_TEXT)},
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(e(content.lead), SLACK_SECTION_TEXT)}},
    ]
    if content.late_note:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f":warning: {e(content.late_note)}"}]}
        )
    fields = [
        {"type": "mrkdwn", "text": f"*日時*\n{e(content.when)}"},
        {"type": "mrkdwn", "text": f"*場所*\n{e(content.place)}"},
    ]
    if content.previous_when:
        fields.append({"type": "mrkdwn", "text": f"*変更前*\n~{e(content.previous_when)}~"})
    blocks.append({"type": "section", "fields": fields})
    if content.kind != "cancelled" and content.agenda:
        agenda = "\n".join(f"• {e(a)}" for a in content.agenda)
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _clip(f"*議題*\n{agenda}", SLACK_SECTION_TEXT)},
            }
        )
    b = content.briefing
    if b is not None and b.total:
        blocks.append({"type": "divider"})
        text = (
            f"*KPIの状況*（全{b.total}件）\n:white_check_mark: 達成 *{b.achieved}*"
            f"　:large_blue_circle: 順調 *{b.on_track}*　:red_circle: 遅れ *{b.behind}*"
        )
        if b.baseline_only:
            text += f"　（実績未登録 {b.baseline_only}）"
        if behind := b.behind_text():
            text += f"\n遅れている指標: {e(behind)}"
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SLACK_SECTION_TEXT)}}
        )
        if links is not None:
            blocks.append(
                {
                    "type": "image",
                    "image_url": links.overview(),
                    "alt_text": f"数値目標・KPI {b.total}指標の進み具合のグラフ",
                }
            )
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "熊本市しごと・ひと・まち創生総合戦略 検証委員会のお知らせ"}
            ],
        }
    )
    return blocks


# --- LINE ----------------------------------------------------------------------------------------


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, **style}


def _row(label: str, value: str) -> dict[str, Any]:
    return {
        "type": "box",
        "layout": "baseline",
        "spacing": "sm",
        "contents": [
            _text(label, size="sm", color="#5F6368", flex=2),
            _text(value, size="sm", flex=7),
        ],
    }


def _count(label: str, n: int, color: str) -> dict[str, Any]:
    return {
        "type": "box",
        "layout": "vertical",
        "contents": [
            _text(str(n), size="xl", weight="bold", color=color, align="center"),
            _text(label, size="xs", color="#5F6368", align="center"),
        ],
    }


def flex_bubble(content: ReminderContent) -> dict[str, Any]:
    color = _KIND_COLORS[content.kind]
    header = {
        "type": "box",
        "layout": "vertical",
        "backgroundColor": color,
        "paddingAll": "12px",
        "contents": [
            _text(
                {"reminder": "開催のお知らせ", "moved": "日時変更のお知らせ", "cancelled": "中止のお知らせ"}[
                    content.kind
                ],
                size="xs",
                color="#FFFFFF",
            ),
            _text(content.title, size="lg", weight="bold", color="#FFFFFF"),
        ],
    }
    body: list[dict[str, Any]] = []
    if content.member_name:
        body.append(_text(f"{content.member_name} 様", size="sm", weight="bold"))
    body.append(_text(content.lead, size="sm"))
    if content.late_note:
        body.append(_text(content.late_note, size="xs", color=_LATE_COLOR))
    rows = [_row("日時", content.when), _row("場所", content.place)]
    if content.previous_when:
        rows.append(_row("変更前", content.previous_when))
    body.append({"type": "box", "layout": "vertical", "spacing": "sm", "margin": "lg", "contents": rows})
    if content.kind != "cancelled" and content.agenda:
        items = [_text(f"・{a}", size="sm") for a in content.agenda[:FLEX_AGENDA_MAX]]
        if len(content.agenda) > FLEX_AGENDA_MAX:
            items.append(_text(f"ほか{len(content.agenda) - FLEX_AGENDA_MAX}件", size="xs", color="#5F6368"))
        body.append(
            {
                "type": "box",
                "layout": "vertical",
                "margin": "lg",
                "contents": [_text("議題", size="sm", weight="bold"), *items],
            }
        )
    b = content.briefing
    if b is not None and b.total:
        body.append({"type": "separator", "margin": "lg"})
        body.append(_text(f"KPIの状況（全{b.total}件）", size="sm", weight="bold", margin="lg"))
        body.append(
            {
                "type": "box",
                "layout": "horizontal",
                "margin": "sm",
                "contents": [
                    _count("達成", b.achieved, flex.STATUS_COLORS["達成"]),
                    _count("順調", b.on_track, flex.STATUS_COLORS["順調"]),
                    _count("遅れ", b.behind, flex.STATUS_COLORS["遅れ"]),
                ],
            }
        )
        if b.baseline_only:
            body.append(_text(f"実績未登録 {b.baseline_only}件", size="xs", color="#5F6368", align="end"))
        if behind := b.behind_text(FLEX_BEHIND_MAX):
            body.append(
                _text(f"遅れている指標: {behind}", size="xs", color=flex.STATUS_COLORS["遅れ"], margin="sm")
            )
    bubble: dict[str, Any] = {
        "type": "bubble",
        "size": "mega",
        "header": header,
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                _text(f"配信停止は「{UNSUBSCRIBE_TEXT}」と送ってください。", size="xxs", color="#5F6368"),
            ],
        },
    }
    return bubble


def line_messages(content: ReminderContent) -> list[dict[str, Any]]:
    """One Flex Message (with the plain text as ``altText``); a text message if the Flex would not fit."""
    message = {
        "type": "flex",
        "altText": limits.clip(content.plain_text(), limits.MAX_ALT_TEXT),
        "contents": flex_bubble(content),
    }
    if not limits.check_message(message):
        return [message]
    return LR.text_messages(content.plain_text())
