"""Who receives reminders: the staff channel on Slack and the LINE users who subscribed (the store's
``line_subscriptions``: one list for every replica with ``DATABASE_URL``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import sqlite_utils
from pydantic import BaseModel, ConfigDict

from bot.config import Settings
from bot.reminders.store import parse_iso
from strategy_data.state import state_of


class Recipient(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # "slack:<channel>" or "line:<user hash>": what deliveries record
    channel: Literal["slack", "line"]
    address: str  # the Slack channel, or the LINE user hash (the real id is looked up at send time)
    since: dt.datetime | None = None  # reminders due before this are not this recipient's
    member_id: str | None = None
    member_name: str | None = None

    @property
    def label(self) -> str:
        """For logs and the dry run: never the raw LINE user id."""
        if self.channel == "slack":
            return f"Slack {self.address}"
        who = f" (委員 {self.member_name})" if self.member_name else ""
        return f"LINE {self.address}{who}"


def slack_recipient(settings: Settings) -> Recipient | None:
    channel = settings.slack_reminder_channel
    if not channel or settings.slack_bot_token is None:
        return None
    return Recipient(key=f"slack:{channel}", channel="slack", address=channel)


def line_recipients(db: sqlite_utils.Database) -> list[Recipient]:
    names: dict[str, str] = {}
    if "committee_members" in db.table_names():
        names = {r["id"]: r["name"] for r in db.query("SELECT id, name FROM committee_members")}
    with state_of(db).read() as tx:
        rows = tx.execute(
            "SELECT user_hash, member_id, subscribed_at FROM line_subscriptions"
            " ORDER BY subscribed_at, user_hash"
        )
    out = []
    for row in rows:
        out.append(
            Recipient(
                key=f"line:{row['user_hash']}",
                channel="line",
                address=row["user_hash"],
                since=parse_iso(row["subscribed_at"]) if row["subscribed_at"] else None,
                member_id=row["member_id"],
                member_name=names.get(row["member_id"]) if row["member_id"] else None,
            )
        )
    return out


def recipients(db: sqlite_utils.Database, settings: Settings) -> list[Recipient]:
    """The staff channel (when Slack is configured) and LINE subscribers (when LINE can push)."""
    out: list[Recipient] = []
    if (slack := slack_recipient(settings)) is not None:
        out.append(slack)
    if settings.line_channel_access_token is not None:
        out.extend(line_recipients(db))
    return out


def line_user_id(db: sqlite_utils.Database, user_hash: str) -> str | None:
    """The real LINE user id of a current subscriber (None once they unsubscribed or unfollowed)."""
    with state_of(db).read() as tx:
        row = tx.one("SELECT user_id FROM line_subscriptions WHERE user_hash = ?", [user_hash])
    return row["user_id"] if row else None
