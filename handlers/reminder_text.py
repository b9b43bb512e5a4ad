"""What a committee reminder says, independent of the channel that carries it.

The scheduler builds one :class:`ReminderContent` per meeting and kind; the Slack and LINE renderers
turn it into Block Kit and a Flex Message, and :meth:`ReminderContent.plain_text` is the fallback
text (Slack notifications, LINE ``altText``, the dry run).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict

from handlers.reply import KpiFacts
from strategy_data.clock import JST
from strategy_data.meetings import WEEKDAYS_JA, MeetingInfo

ReminderKind = Literal["reminder", "moved", "cancelled"]

BEHIND_NAMES_MAX = 10


class KpiBriefing(BaseModel):
    """How the strategy's KPIs stand: counts per status and the ones behind target."""

    model_config = ConfigDict(frozen=True)

    achieved: int = 0
    on_track: int = 0
    behind: int = 0
    baseline_only: int = 0
    behind_names: list[str] = []  # most behind first

    @property
    def total(self) -> int:
        return self.achieved + self.on_track + self.behind + self.baseline_only

    def counts_text(self) -> str:
        text = f"達成 {self.achieved}件・順調 {self.on_track}件・遅れ {self.behind}件"
        if self.baseline_only:
            text += f"（実績未登録 {self.baseline_only}件）"
        return text

    def behind_text(self, limit: int = BEHIND_NAMES_MAX) -> str | None:
        if not self.behind_names:
            return None
        shown = self.behind_names[:limit]
        rest = len(self.behind_names) - len(shown)
        return "、".join(shown) + (f" ほか{rest}件" if rest > 0 else "")


def kpi_briefing(kpis: list[KpiFacts]) -> KpiBriefing:
    counts = Counter(k.status for k in kpis)
    behind = sorted(
        (k for k in kpis if k.status == "遅れ"),
        key=lambda k: (k.progress if k.progress is not None else 0.0, k.id),
    )
    return KpiBriefing(
        achieved=counts["達成"],
        on_track=counts["順調"],
        behind=counts["遅れ"],
        baseline_only=counts["基準値のみ"],
        behind_names=[k.short_name or k.name for k in behind],
    )


class ReminderContent(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ReminderKind
    meeting_key: str
    title: str  # 第N回検証委員会
    when: str  # 2024年5月10日（金） 14:00〜
    starts_at: dt.datetime
    place: str
    agenda: list[str]
    lead: str  # the first sentence: when the meeting is, from the moment of sending
    late_note: str | None = None  # set when a missed reminder is sent late
    previous_when: str | None = None  # for a moved meeting
    member_name: str | None = None  # a linked committee member is addressed by name
    briefing: KpiBriefing | None = None

    @property
    def late(self) -> bool:
        return self.late_note is not None

    @property
    def headline(self) -> str:
        label = {"reminder": "開催のお知らせ", "moved": "日時変更のお知らせ", "cancelled": "中止のお知らせ"}
        return f"{self.title} {label[self.kind]}"

    def plain_text(self) -> str:
        lines = [f"【{self.headline}】"]
        if self.member_name:
            lines.append(f"{self.member_name} 様")
        lines.append(self.lead)
        if self.late_note:
            lines.append(self.late_note)
        if self.previous_when:
            lines.append(f"変更前: {self.previous_when}")
        lines.append(f"日時: {self.when}")
        lines.append(f"場所: {self.place}")
        if self.kind != "cancelled" and self.agenda:
            lines.append("議題:")
            lines.extend(f"・{a}" for a in self.agenda)
        if self.briefing is not None and self.briefing.total:
            lines.append(f"KPIの状況（全{self.briefing.total}件）: {self.briefing.counts_text()}")
            if behind := self.briefing.behind_text():
                lines.append(f"遅れている指標: {behind}")
        return "\n".join(lines)


def _hm(t: dt.datetime) -> str:
    return f"{t.hour}:{t.minute:02d}"


def _md(t: dt.datetime) -> str:
    return f"{t.month}月{t.day}日（{WEEKDAYS_JA[t.weekday()]}）{_hm(t)}"


SOON_MINUTES = 12 * 60  # a meeting this near is counted in hours, even across midnight


def lead_sentence(meeting: MeetingInfo, now: dt.datetime) -> str:
    """「第6回検証委員会は明日開催されます。」 and the like, counted from ``now`` in Asia/Tokyo."""
    now = now.astimezone(JST)
    days = (meeting.date - now.date()).days
    title = meeting.title
    minutes = None
    if meeting.start_time is not None:
        minutes = max(0, int((meeting.starts_at - now).total_seconds() // 60))
    if days <= 0 or (days == 1 and minutes is not None and minutes < SOON_MINUTES):
        if minutes is None:
            return f"{title}は本日開催されます。"
        left = f"約{round(minutes / 60)}時間" if minutes >= 90 else f"約{minutes}分"
        # 「明日 0:30 から（あと約2時間）」: a meeting just after midnight is hours away, not a day
        day = "本日" if days <= 0 else "明日"
        return f"{title}は{day} {_hm(meeting.starts_at)} から開催されます（あと{left}）。"
    if days == 1:
        return f"{title}は明日開催されます。"
    if days == 2:
        return f"{title}はあさって開催されます。"
    return f"{title}は{days}日後に開催されます。"


def build_reminder(
    meeting: MeetingInfo,
    *,
    now: dt.datetime,
    kind: ReminderKind = "reminder",
    kpis: list[KpiFacts] | None = None,
    due_at: dt.datetime | None = None,
    late: bool = False,
    previous_starts_at: dt.datetime | None = None,
    member_name: str | None = None,
) -> ReminderContent:
    """The reminder for ``meeting`` as sent at ``now``; ``late`` adds a note naming ``due_at``."""
    late_note = None
    if late and kind == "reminder":
        planned = f"（本来は{_md(due_at.astimezone(JST))}にお送りする予定でした）" if due_at else ""
        late_note = f"システムの停止により、このお知らせは予定より遅れてお送りしています{planned}。"
    if kind == "cancelled":
        lead = f"{meeting.title}（{meeting.when_ja()}）は中止になりました。"
    elif kind == "moved":
        lead = f"{meeting.title}の日時が変更されました。" + lead_sentence(meeting, now)
    else:
        lead = lead_sentence(meeting, now)
    previous_when = None
    if previous_starts_at is not None:
        p = previous_starts_at.astimezone(JST)
        previous_when = f"{p.year}年{_md(p)}〜"
    return ReminderContent(
        kind=kind,
        meeting_key=meeting.key,
        title=meeting.title,
        when=meeting.when_ja(),
        starts_at=meeting.starts_at,
        place=meeting.place,
        agenda=list(meeting.agenda),
        lead=lead,
        late_note=late_note,
        previous_when=previous_when,
        member_name=member_name,
        briefing=kpi_briefing(kpis) if kpis and kind != "cancelled" else None,
    )
