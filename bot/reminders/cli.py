"""``strategy-bot remind`` (one scheduler pass, for cron) and ``strategy-bot meetings …``."""

from __future__ import annotations

import datetime as dt
import getpass
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from strategy_data.clock import JST, now_jst

if TYPE_CHECKING:
    from bot.config import Settings
    from strategy_data.meetings import MeetingInfo

_db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database path (default: $STRATEGY_BOT_DB or var/strategy.db).",
)


def _now(value: str | None) -> dt.datetime:
    if not value:
        return now_jst()
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO time: {value!r} (e.g. 2024-05-10T09:00)") from exc
    return (t.replace(tzinfo=JST) if t.tzinfo is None else t).astimezone(JST)


def _settings(db_path: Path | None) -> Settings:
    from bot.config import Settings  # imports stay lazy: the CLI starts fast

    settings = Settings.from_env()
    return settings.model_copy(update={"db_path": db_path}) if db_path else settings


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Print what would be sent to whom; send and record nothing.")
@click.option(
    "--now", "now_text", metavar="ISO-TIME", help="Run as if it were this time (Asia/Tokyo if naive)."
)
@click.option("--show-text", is_flag=True, help="With --dry-run: also print each message's text.")
@_db_option
def remind(dry_run: bool, now_text: str | None, show_text: bool, db_path: Path | None) -> None:
    """Send the committee reminders that are due (one pass of the scheduler, for cron)."""
    from bot.context import open_db
    from bot.reminders.offsets import OffsetError
    from bot.reminders.recipients import slack_recipient
    from bot.reminders.scheduler import Scheduler

    now = _now(now_text)
    settings = _settings(db_path)
    db = open_db(settings)
    try:
        scheduler = Scheduler(db, settings, clock=lambda: now)
    except OffsetError as exc:
        raise click.UsageError(f"REMINDER_OFFSETS: {exc}") from exc
    try:
        if dry_run:
            planned = scheduler.preview(now)
            if slack_recipient(settings) is None:
                click.echo("note: Slack staff channel off (SLACK_REMINDER_CHANNEL / SLACK_BOT_TOKEN not set)")
            if settings.line_channel_access_token is None:
                click.echo("note: LINE pushes off (LINE_CHANNEL_ACCESS_TOKEN not set)")
            click.echo(
                f"dry run at {now.isoformat(timespec='minutes')}: {len(planned)} reminder(s), nothing sent"
            )
            for p in planned:
                what = "SKIP" if p.action == "skip" else ("LATE" if p.late else "SEND")
                reason = f"  ({p.reason})" if p.reason else ""
                click.echo(
                    f"  {what} {p.meeting.title} {p.meeting.when_ja()} [{p.kind}]"
                    f" due {p.due_at.isoformat(timespec='minutes')} -> {p.recipient.label}{reason}"
                )
                if show_text and p.action == "send":
                    text = scheduler.render_preview(p, now).plain_text()
                    click.echo("    " + text.replace("\n", "\n    "))
            return
        report = scheduler.run_once(now)
        for o in report.outcomes:
            late = " late" if o.late else ""
            detail = f" ({o.detail})" if o.detail else ""
            click.echo(f"  {o.status.upper()}{late} {o.title} [{o.kind}] -> {o.recipient}{detail}")
        click.echo(report.summary())
        if report.count("failed"):
            sys.exit(2)
    finally:
        scheduler.close()
        db.close()


# --- meetings ---------------------------------------------------------------------------------------


@click.group("meetings")
def meetings() -> None:
    """List, add, move and cancel committee meetings; export them; invite committee members."""


def _parse_date(text: str) -> dt.date:
    m = re.fullmatch(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?", text.strip())
    if not m:
        raise click.BadParameter(f"{text!r}: use YYYY-MM-DD")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise click.BadParameter(f"{text!r}: {exc}") from exc


def _parse_time(text: str) -> dt.time:
    m = re.fullmatch(r"(\d{1,2})[:時](\d{2})分?", text.strip())
    if not m or not (0 <= int(m.group(1)) < 24 and 0 <= int(m.group(2)) < 60):
        raise click.BadParameter(f"{text!r}: use HH:MM")
    return dt.time(int(m.group(1)), int(m.group(2)))


def _line(m: MeetingInfo) -> str:
    status = " [中止]" if m.status == "cancelled" else ""
    ident = f"#{m.staff_id}" if m.staff_id is not None else m.key
    return f"{ident:>14}  {m.title}  {m.when_ja()}  {m.place}{status}"


@meetings.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also past and cancelled meetings.")
@click.option("--now", "now_text", metavar="ISO-TIME", help="Treat this as the current time.")
@_db_option
def meetings_list(show_all: bool, now_text: str | None, db_path: Path | None) -> None:
    """List upcoming meetings (staff meetings show their #id for cancel/move)."""
    from bot.context import open_db
    from strategy_data.meetings import list_meetings

    now = _now(now_text)
    db = open_db(_settings(db_path))
    try:
        items = list_meetings(db, include_cancelled=show_all)
        if not show_all:
            items = [m for m in items if m.starts_at > now]
        if not items:
            click.echo("予定されている会議はありません。" if not show_all else "会議はありません。")
        for m in items:
            click.echo(_line(m))
            for a in m.agenda:
                click.echo(f"{'':16}・{a}")
    finally:
        db.close()


@meetings.command("add")
@click.argument("date")
@click.argument("time")
@click.argument("place")
@click.argument("agenda", nargs=-1)
@click.option("--number", type=int, help="第N回 (default: the next number).")
@_db_option
def meetings_add(
    date: str, time: str, place: str, agenda: tuple[str, ...], number: int | None, db_path: Path | None
) -> None:
    """Add a meeting: DATE (YYYY-MM-DD) TIME (HH:MM, Asia/Tokyo) PLACE [AGENDA ITEM]..."""
    from pydantic import ValidationError

    from bot.context import open_db
    from strategy_data.meetings import NewMeeting, add_meeting

    starts = dt.datetime.combine(_parse_date(date), _parse_time(time), tzinfo=JST)
    try:
        new = NewMeeting(starts_at=starts, place=place, agenda=list(agenda), number=number)
    except ValidationError as exc:
        raise click.UsageError("; ".join(str(e["msg"]) for e in exc.errors())) from exc
    db = open_db(_settings(db_path))
    try:
        m = add_meeting(db, new, by=_actor())
    finally:
        db.close()
    click.echo(f"added #{m.staff_id}: {m.title} {m.when_ja()} {m.place}")


@meetings.command("cancel")
@click.argument("meeting_id", type=int)
@_db_option
def meetings_cancel(meeting_id: int, db_path: Path | None) -> None:
    """Cancel staff meeting #ID (its pending reminders are cancelled; those reminded are told)."""
    from bot.context import open_db
    from strategy_data.meetings import MeetingNotFound, cancel_meeting

    db = open_db(_settings(db_path))
    try:
        m = cancel_meeting(db, meeting_id, by=_actor())
    except MeetingNotFound:
        click.echo(f"no staff meeting #{meeting_id} (see `strategy-bot meetings list`)", err=True)
        sys.exit(1)
    finally:
        db.close()
    click.echo(f"cancelled #{m.staff_id}: {m.title} {m.when_ja()}")


@meetings.command("move")
@click.argument("meeting_id", type=int)
@click.argument("date")
@click.argument("time")
@_db_option
def meetings_move(meeting_id: int, date: str, time: str, db_path: Path | None) -> None:
    """Move staff meeting #ID to DATE TIME (its reminders are rescheduled)."""
    from bot.context import open_db
    from strategy_data.meetings import MeetingNotFound, move_meeting

    starts = dt.datetime.combine(_parse_date(date), _parse_time(time), tzinfo=JST)
    db = open_db(_settings(db_path))
    try:
        m = move_meeting(db, meeting_id, starts, by=_actor())
    except MeetingNotFound:
        click.echo(f"no staff meeting #{meeting_id} (see `strategy-bot meetings list`)", err=True)
        sys.exit(1)
    finally:
        db.close()
    click.echo(f"moved #{m.staff_id}: {m.title} {m.when_ja()}")


@meetings.command("ics")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@_db_option
def meetings_ics(output: Path | None, db_path: Path | None) -> None:
    """Export all meetings as iCalendar (the same as GET /meetings.ics)."""
    from bot.context import open_db
    from bot.reminders.ics import calendar
    from strategy_data.meetings import list_meetings

    db = open_db(_settings(db_path))
    try:
        text = calendar(list_meetings(db, include_cancelled=True), now=now_jst())
    finally:
        db.close()
    if output:
        output.write_bytes(text.encode("utf-8"))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()


@meetings.command("invite")
@click.argument("member", nargs=-1, required=True)
@_db_option
def meetings_invite(member: tuple[str, ...], db_path: Path | None) -> None:
    """Issue a one-time LINE code for committee MEMBER (name, reading or id)."""
    from bot.context import open_db
    from handlers.subscriptions import InviteError, invite_text, issue_invite

    db = open_db(_settings(db_path))
    try:
        invite = issue_invite(db, " ".join(member), by=_actor(), now=now_jst())
    except InviteError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    finally:
        db.close()
    click.echo(invite_text(invite))
