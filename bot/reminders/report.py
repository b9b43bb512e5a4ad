"""What one reminder pass did (``RunReport``, one ``Outcome`` per delivery) and telling the staff
channel on Slack about the deliveries that failed."""

from __future__ import annotations

import datetime as dt
import logging

from pydantic import BaseModel, ConfigDict

from bot.config import Settings
from bot.reminders.offsets import parse_offsets
from bot.reminders.slack_poster import SlackPoster

log = logging.getLogger("strategy_bot.reminders")


class Outcome(BaseModel):
    """What one pass did with one delivery (for the cron output and the tests)."""

    model_config = ConfigDict(frozen=True)

    meeting_key: str
    title: str
    kind: str
    recipient: str  # Recipient.label: never a raw LINE user id
    status: str  # sent | failed | skipped | obsolete | duplicate
    late: bool = False
    attempts: int = 0
    detail: str | None = None


class RunReport(BaseModel):
    now: dt.datetime
    outcomes: list[Outcome] = []

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def summary(self) -> str:
        parts = [f"{s} {self.count(s)}" for s in ("sent", "failed", "skipped", "obsolete")]
        return f"reminders at {self.now.isoformat(timespec='minutes')}: " + ", ".join(parts)


def report_failures(report: RunReport, settings: Settings, slack: SlackPoster | None) -> None:
    """Tell the staff channel on Slack which deliveries of a pass failed (or log that it cannot)."""
    failed = [o for o in report.outcomes if o.status == "failed"]
    if not failed:
        return
    channel = settings.slack_reminder_channel
    if not channel or slack is None:
        log.error("%d reminder(s) failed and no Slack staff channel is configured to report it", len(failed))
        return
    lines = [f":warning: リマインドを送信できませんでした（{len(failed)}件）。"]
    for o in failed[:20]:
        lines.append(f"• {o.title}（{_kind_ja(o.kind)}）→ {o.recipient}: {o.detail or '不明なエラー'}")
    if len(failed) > 20:
        lines.append(f"ほか{len(failed) - 20}件")
    lines.append("詳しくはサーバーのログをご確認ください。")
    result = slack.post(channel, "\n".join(lines), attempts=2)
    if not result.ok:
        log.error("could not report %d failed reminder(s) on Slack: %s", len(failed), result.error)


def _kind_ja(kind: str) -> str:
    if kind == "moved":
        return "日時変更"
    if kind == "cancelled":
        return "中止"
    try:
        return parse_offsets([kind])[0].label_ja
    except ValueError:
        return kind
