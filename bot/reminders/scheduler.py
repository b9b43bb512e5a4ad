"""The reminder scheduler: one pass finds what is due, claims it, sends it, records the outcome.

``Scheduler.run_once()`` is what both the background thread inside ``strategy-bot serve`` and the
``strategy-bot remind`` cron command run; ``Scheduler.preview()`` is the dry run. Time comes from an
injected clock, so tests drive it directly.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import sqlite_utils

from bot.charts.links import chart_links
from bot.config import Settings
from bot.context import shared_store
from bot.line.api import LineSender
from bot.reminders import render as RR
from bot.reminders import store
from bot.reminders.offsets import Offset, parse_offsets
from bot.reminders.plan import DEFAULT_GRACE, DEFAULT_LOOKBACK, Planned, plan
from bot.reminders.recipients import line_user_id, recipients
from bot.reminders.report import Outcome, RunReport, report_failures
from bot.reminders.slack_poster import SlackPoster, make_client
from handlers.reminder_text import ReminderContent, build_reminder
from handlers.reply import KpiFacts
from store.backend import Backend
from strategy_data.clock import JST, now_jst
from strategy_data.meetings import MeetingInfo, list_meetings
from strategy_data.state import state_of

log = logging.getLogger("strategy_bot.reminders")

DEFAULT_LEASE = dt.timedelta(minutes=10)  # far longer than one delivery with all its retries
DEFAULT_ATTEMPTS = 4
LINE_RETRY_KEY_LIFETIME = dt.timedelta(hours=23)  # LINE keeps retry keys for 24 hours

KpiSource = Callable[[sqlite_utils.Database, dt.date], list[KpiFacts]]


def default_kpi_facts(db: sqlite_utils.Database, today: dt.date) -> list[KpiFacts]:
    """All KPIs with their status, from the answer pipeline (empty if the data is not built)."""
    from handlers.kpi_status import all_kpi_facts

    if "kpis" not in db.table_names():
        return []
    return all_kpi_facts(db, today)


class Scheduler:
    def __init__(
        self,
        db: sqlite_utils.Database,
        settings: Settings,
        *,
        clock: Callable[[], dt.datetime] = now_jst,
        sleep: Callable[[float], Any] = time.sleep,
        slack: SlackPoster | None = None,
        line: LineSender | None = None,
        kpi_facts: KpiSource = default_kpi_facts,
        offsets: list[Offset] | None = None,
        grace: dt.timedelta = DEFAULT_GRACE,
        lookback: dt.timedelta = DEFAULT_LOOKBACK,
        lease: dt.timedelta = DEFAULT_LEASE,
        attempts: int = DEFAULT_ATTEMPTS,
        backoff: float = 1.0,
        slack_interval: float = 1.0,
        run_id: str | None = None,
        deliveries: Backend | None = None,
    ):
        self.db = db
        self.settings = settings
        self.clock = clock
        self.offsets = offsets if offsets is not None else parse_offsets(settings.reminder_offsets)
        self.grace = grace
        self.lookback = lookback
        self.lease = lease
        self.attempts = attempts
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.kpi_facts = kpi_facts
        self._owns: list[Any] = []
        # the claimed deliveries: in the store (PostgreSQL with DATABASE_URL, so that the schedulers of
        # several replicas send each reminder once), else beside the meetings in the SQLite file
        # (the process's shared store: opened once, migrated at first use, so a scheduler started
        # while the database is down goes on once it is back)
        if deliveries is None and settings.database_url is not None:
            shared = shared_store(settings)
            assert shared is not None
            deliveries = shared.backend
        self.deliveries = deliveries if deliveries is not None else state_of(db)
        if slack is None and settings.slack_bot_token is not None:
            slack = SlackPoster(
                make_client(settings),
                min_interval=slack_interval,
                attempts=attempts,
                backoff=backoff,
                sleep=sleep,
            )
        self.slack = slack
        if line is None and settings.line_channel_access_token is not None:
            line = LineSender.from_settings(settings, backoff=backoff, sleep=sleep)
            self._owns.append(line)
        self.line = line

    def close(self) -> None:
        for owned in self._owns:
            owned.close()
        self._owns.clear()

    def now(self) -> dt.datetime:
        return self.clock().astimezone(JST)

    # --- planning ---------------------------------------------------------------------------------

    def _meetings(self, now: dt.datetime) -> list[MeetingInfo]:
        return [
            m for m in list_meetings(self.db, include_cancelled=True) if m.starts_at > now - self.lookback
        ]

    def preview(self, now: dt.datetime | None = None) -> list[Planned]:
        """What a pass at ``now`` would send or skip; claims, sends and writes nothing (the dry run)."""
        now = (now or self.now()).astimezone(JST)
        meetings = self._meetings(now)
        deliveries = store.for_meetings(self.deliveries, [m.key for m in meetings])
        return plan(
            meetings,
            recipients(self.db, self.settings),
            self.offsets,
            deliveries,
            now,
            grace=self.grace,
            lookback=self.lookback,
        )

    def render_preview(self, p: Planned, now: dt.datetime) -> ReminderContent:
        return self._content(p, now, {})

    # --- a pass -----------------------------------------------------------------------------------

    def run_once(self, now: dt.datetime | None = None) -> RunReport:
        now = (now or self.now()).astimezone(JST)
        report = RunReport(now=now)
        cache: dict[Any, Any] = {}
        for stale in store.stale_claims(self.deliveries, now):
            self._resume(stale, now, report, cache)
        for p in self.preview(now):
            if p.action == "skip":
                if store.record_skip(
                    self.deliveries, p.key, due_at=p.due_at, now=now, reason=p.reason or "skipped"
                ):
                    log.warning(
                        "reminder %s %s for %s skipped: %s",
                        p.meeting.key,
                        p.kind,
                        p.recipient.label,
                        p.reason,
                    )
                    report.outcomes.append(self._outcome(p, "skipped", detail=p.reason))
                continue
            claimed = store.claim(
                self.deliveries,
                p.key,
                due_at=p.due_at,
                late=p.late,
                run_id=self.run_id,
                now=self.now(),
                lease=self.lease,
            )
            if claimed is None:
                continue  # another run has it (or had it)
            self._deliver(p, claimed, report, cache, interrupted_at=None)
        report_failures(report, self.settings, self.slack)
        if report.outcomes:
            log.info(report.summary())
        return report

    def _resume(self, stale: store.Delivery, now: dt.datetime, report: RunReport, cache: dict) -> None:
        """Finish a claim whose run died mid-send, with the same retry key."""
        delivery = store.take_over(
            self.deliveries, stale, run_id=self.run_id, now=self.now(), lease=self.lease
        )
        if delivery is None:
            return
        meeting = self._current_meeting(delivery.meeting_key)
        recipient = next((r for r in recipients(self.db, self.settings) if r.key == delivery.recipient), None)
        if meeting is None or recipient is None:
            store.finish(
                self.deliveries, delivery.id, "obsolete", now=self.now(), run_id=self.run_id, detail="gone"
            )
            return
        key = store.DeliveryKey(
            meeting_key=delivery.meeting_key,
            starts_at=delivery.starts_at,
            kind=delivery.kind,
            recipient=delivery.recipient,
        )
        if delivery.kind not in ("moved", "cancelled") and meeting.starts_at <= now:
            reason = "missed: the meeting had already started"
            store.finish(
                self.deliveries, delivery.id, "skipped", now=self.now(), run_id=self.run_id, detail=reason
            )
            log.warning(
                "reminder %s %s for %s skipped: %s", key.meeting_key, key.kind, recipient.label, reason
            )
            return
        p = Planned(
            key=key,
            meeting=meeting,
            recipient=recipient,
            due_at=delivery.due_at,
            action="send",
            late=delivery.late or now - delivery.due_at > self.grace,
        )
        interrupted_at = stale.claimed_at or delivery.due_at
        if recipient.channel == "line" and now - interrupted_at > LINE_RETRY_KEY_LIFETIME:
            # LINE forgets retry keys after 24 h: resending could deliver it twice, so it is not resent
            reason = "interrupted send too old to resend safely (retry key expired)"
            store.finish(
                self.deliveries, delivery.id, "failed", now=self.now(), run_id=self.run_id, detail=reason
            )
            log.error(
                "reminder %s %s for %s not resent: %s", key.meeting_key, key.kind, recipient.label, reason
            )
            report.outcomes.append(self._outcome(p, "failed", detail=reason))  # reported with the others
            return
        log.info("resuming reminder %s %s for %s", key.meeting_key, key.kind, recipient.label)
        self._deliver(p, delivery, report, cache, interrupted_at=interrupted_at)

    def _current_meeting(self, key: str) -> MeetingInfo | None:
        return next((m for m in list_meetings(self.db, include_cancelled=True) if m.key == key), None)

    def _still_valid(self, p: Planned) -> str | None:
        """Why the planned delivery no longer applies (None if it does): re-read just before sending."""
        m = self._current_meeting(p.meeting.key)
        if m is None:
            return "meeting removed"
        if p.kind == "cancelled":
            return None if m.status == "cancelled" else "meeting no longer cancelled"
        if m.status != "scheduled":
            return "meeting cancelled"
        if m.starts_at != p.key.starts_at:
            return "meeting moved"
        return None

    def _deliver(
        self,
        p: Planned,
        delivery: store.Delivery,
        report: RunReport,
        cache: dict,
        *,
        interrupted_at: dt.datetime | None,
    ) -> None:
        why_not = self._still_valid(p)
        user_id = None
        if why_not is None and p.recipient.channel == "line":
            user_id = line_user_id(self.db, p.recipient.address)
            if user_id is None:
                why_not = "unsubscribed"
            elif self.line is None:
                why_not = "LINE is not configured"
        if why_not is None and p.recipient.channel == "slack" and self.slack is None:
            why_not = "Slack is not configured"
        if why_not is not None:
            store.finish(
                self.deliveries, delivery.id, "obsolete", now=self.now(), run_id=self.run_id, detail=why_not
            )
            log.info("reminder %s %s for %s dropped: %s", p.meeting.key, p.kind, p.recipient.label, why_not)
            report.outcomes.append(self._outcome(p, "obsolete", detail=why_not))
            return
        content = self._content(p, self.now(), cache)
        if p.recipient.channel == "slack":
            assert self.slack is not None
            # a resumed claim: the crashed run may have posted it since it claimed it
            since = interrupted_at.timestamp() if interrupted_at else None
            result = self.slack.post(
                p.recipient.address,
                RR.slack_text(content),
                RR.slack_blocks(content, chart_links(self.settings.public_base_url, self.db)),
                delivery=delivery.retry_key,
                check_first_since=since,
            )
            ok, attempts, error, duplicate = result.ok, result.attempts, result.error, result.duplicate
        else:
            assert self.line is not None and user_id is not None
            lr = self.line.push(
                user_id, RR.line_messages(content), delivery.retry_key, attempts=self.attempts
            )
            ok, attempts, error, duplicate = lr.ok, lr.attempts, lr.error, lr.duplicate
            if not ok and lr.status:
                error = f"HTTP {lr.status}: {error}"
        total = delivery.attempts + attempts
        status: store.Status = "sent" if ok else "failed"
        detail = "already delivered (retry key)" if duplicate else error
        if not store.finish(
            self.deliveries,
            delivery.id,
            status,
            now=self.now(),
            run_id=self.run_id,
            attempts=total,
            detail=detail,
        ):
            log.error("reminder delivery %d: claim lost before it was recorded as %s", delivery.id, status)
        if ok:
            log.info(
                "reminder %s %s sent to %s%s (%d attempt(s))",
                p.meeting.key,
                p.kind,
                p.recipient.label,
                " late" if p.late else "",
                total,
            )
        else:
            log.error("reminder %s %s to %s failed: %s", p.meeting.key, p.kind, p.recipient.label, error)
        report.outcomes.append(self._outcome(p, status, attempts=total, detail=detail))

    def _kpis(self, today: dt.date, cache: dict) -> list[KpiFacts]:
        if ("kpis", today) not in cache:
            try:
                cache[("kpis", today)] = self.kpi_facts(self.db, today)
            except Exception as exc:  # the briefing is a courtesy: the reminder goes out without it
                log.error("KPI briefing unavailable: %s", type(exc).__name__, exc_info=exc)
                cache[("kpis", today)] = []
        return cache[("kpis", today)]

    def _content(self, p: Planned, now: dt.datetime, cache: dict) -> ReminderContent:
        kind = p.kind if p.kind in ("moved", "cancelled") else "reminder"
        return build_reminder(
            p.meeting,
            now=now,
            kind=kind,
            kpis=self._kpis(now.date(), cache) if kind != "cancelled" else None,
            due_at=p.due_at,
            late=p.late,
            previous_starts_at=p.previous_starts_at,
            member_name=p.recipient.member_name,
        )

    def _outcome(self, p: Planned, status: str, *, attempts: int = 0, detail: str | None = None) -> Outcome:
        return Outcome(
            meeting_key=p.meeting.key,
            title=p.meeting.title,
            kind=p.kind,
            recipient=p.recipient.label,
            status=status,
            late=p.late,
            attempts=attempts,
            detail=detail,
        )
