"""Reminder subscriptions on LINE and one-time invite codes for committee members (channel-neutral).

- 「リマインド登録」 subscribes the sender to meeting reminders (meetings are public: anyone may);
  「リマインド解除」 ends it. Unfollowing the account ends it too (the LINE webhook deletes the row).
- Staff issue a committee member a one-time code (``issue_invite``: Slack ``/meeting invite <member>``,
  ``strategy-bot meetings invite <member>``). Sending that code on LINE subscribes the sender and links
  the subscription to the member's roster entry, so reminders address them by name. Codes are random,
  stored only as SHA-256 hashes, expire, are single-use, and a new code for a member revokes the old.

``handle_text`` returns a :class:`Reply` when the text is one of these commands, else None (the
message then goes to the answer pipeline).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata

import sqlite_utils
from pydantic import BaseModel, ConfigDict

from handlers import staff_meetings
from handlers.reply import Reply
from store.backend import Tx
from strategy_data.clock import JST
from strategy_data.meetings import next_meeting
from strategy_data.state import state_of

CODE_PREFIX = "KC"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed safely
CODE_LENGTH = 10  # 31^10 ≈ 8e14 codes
DEFAULT_INVITE_TTL = dt.timedelta(days=7)

_SUBSCRIBE = re.compile(
    r"^(?:リマインド|リマインダー?)(?:を|の)?(?:登録|申込み?|申し込み)(?:する|して|したい|お願いします|をお願いします)?$"
)
_UNSUBSCRIBE = re.compile(
    r"^(?:リマインド|リマインダー?)(?:を|の)?(?:解除|停止|中止|取り?消し|やめる|やめて)(?:する|して|したい|お願いします|をお願いします)?$"
)
_CODE = re.compile(rf"^{CODE_PREFIX}([{CODE_ALPHABET}]{{{CODE_LENGTH}}})$")
_CODE_LIKE = re.compile(rf"^{CODE_PREFIX}[A-Z0-9]{{4,14}}$")
_STRIP = re.compile(r"[\s\-‐－ー―‑–—_。．.!！、,]+")

SUGGEST_AFTER_SUBSCRIBE = ["次の委員会はいつ？", "リマインド解除"]
SUGGEST_AFTER_UNSUBSCRIBE = ["リマインド登録", "次の委員会はいつ？"]


class Invite(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str  # shown once, to the staff member who issued it
    member_id: str
    member_name: str
    expires_at: dt.datetime


class InviteError(ValueError):
    """A clear, polite Japanese message for the staff member."""


# --- text matching ------------------------------------------------------------------------------------


def _compact(text: str) -> str:
    t = re.sub(r"^\s*招待コード\s*(?:は|:)?\s*", "", unicodedata.normalize("NFKC", text))
    return _STRIP.sub("", t).upper()


def _command_text(text: str) -> str:
    # keep the long vowel mark of リマインダー: strip only separators around the words
    t = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"[\s。．.!！、,]+", "", t)


def normalize_code(text: str) -> str | None:
    """``KC-ABCDE-FGHJK`` (any width, case, spacing, hyphens) → ``KCABCDEFGHJK``; None if not a code."""
    m = _CODE.match(_compact(text))
    return f"{CODE_PREFIX}{m.group(1)}" if m else None


def looks_like_code(text: str) -> bool:
    c = _compact(text)
    return bool(_CODE.match(c) or _CODE_LIKE.match(c))


def format_code(raw: str) -> str:
    body = raw[len(CODE_PREFIX) :]
    return f"{CODE_PREFIX}-{body[:5]}-{body[5:]}"


def code_hash(normalized: str) -> str:
    return hashlib.sha256(normalized.encode("ascii")).hexdigest()


# --- subscriptions ---------------------------------------------------------------------------------


def _iso(t: dt.datetime) -> str:
    return t.astimezone(JST).isoformat(timespec="seconds")


def subscribe(
    db: sqlite_utils.Database,
    user_id: str,
    user_hash: str,
    *,
    now: dt.datetime,
    member_id: str | None = None,
) -> bool:
    """Subscribe (or link to ``member_id``); True if the user was not subscribed before."""
    with state_of(db).transaction() as tx:
        return _subscribe(tx, user_id, user_hash, now=now, member_id=member_id)


def _subscribe(tx: Tx, user_id: str, user_hash: str, *, now: dt.datetime, member_id: str | None) -> bool:
    new = tx.one(
        "INSERT INTO line_subscriptions (user_id, user_hash, member_id, subscribed_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
        [user_id, user_hash, member_id, _iso(now)],
    )
    if member_id is not None:  # one LINE account per member: a new link replaces an older one
        tx.execute("UPDATE line_subscriptions SET member_id = ? WHERE user_id = ?", [member_id, user_id])
        tx.execute(
            "UPDATE line_subscriptions SET member_id = NULL WHERE member_id = ? AND user_id != ?",
            [member_id, user_id],
        )
    return new is not None


def unsubscribe(db: sqlite_utils.Database, user_id: str) -> bool:
    """End the subscription; True if there was one."""
    with state_of(db).transaction() as tx:
        tx.execute("DELETE FROM line_subscriptions WHERE user_id = ?", [user_id])
        return tx.rowcount > 0


def subscription_member(db: sqlite_utils.Database, user_id: str) -> str | bool | None:
    """False if not subscribed, else the linked member id (None for a citizen)."""
    with state_of(db).read() as tx:
        row = tx.one("SELECT member_id FROM line_subscriptions WHERE user_id = ?", [user_id])
    return False if row is None else row["member_id"]


# --- members and invite codes ------------------------------------------------------------------------


def _name_key(text: str) -> str:
    return re.sub(r"[\s　]+", "", unicodedata.normalize("NFKC", text)).lower()


def find_member(db: sqlite_utils.Database, query: str) -> dict:
    """The roster entry named by id, name or reading (spaces ignored); InviteError if none or several."""
    if "committee_members" not in db.table_names():
        raise InviteError("委員名簿がまだ読み込まれていません（strategy-bot load-data を実行してください）。")
    q = _name_key(query)
    if not q:
        raise InviteError("委員のお名前か ID を指定してください（例: /meeting invite 荒川浩二）。")
    members = list(db.query("SELECT id, name, reading FROM committee_members ORDER BY id"))
    exact = [
        m
        for m in members
        if q in {_name_key(m["id"]), _name_key(m["id"]).removeprefix("member-"), _name_key(m["name"])}
        or (m["reading"] and q == _name_key(m["reading"]))
    ]
    found = exact or [m for m in members if q in _name_key(m["name"]) or q in _name_key(m["reading"] or "")]
    if len(found) == 1:
        return found[0]
    if not found:
        raise InviteError(
            f"「{query}」という委員は名簿にありません。お名前か ID（例: member-arakawa）をご確認ください。"
        )
    names = "、".join(m["name"] for m in found[:8])
    raise InviteError(f"「{query}」に当てはまる委員が複数います（{names}）。フルネームで指定してください。")


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_invite(
    db: sqlite_utils.Database,
    member: str,
    *,
    by: str,
    now: dt.datetime,
    ttl: dt.timedelta = DEFAULT_INVITE_TTL,
) -> Invite:
    """A new one-time code for ``member`` (earlier unused codes of that member are revoked)."""
    m = find_member(db, member)
    raw = new_code()
    expires = now.astimezone(JST) + ttl
    with state_of(db).transaction() as tx:
        tx.execute(
            "UPDATE member_invites SET revoked_at = ?"
            " WHERE member_id = ? AND used_at IS NULL AND revoked_at IS NULL",
            [_iso(now), m["id"]],
        )
        tx.execute(
            "INSERT INTO member_invites (code_hash, member_id, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [code_hash(raw), m["id"], by, _iso(now), _iso(expires)],
        )
    return Invite(code=format_code(raw), member_id=m["id"], member_name=m["name"], expires_at=expires)


def invite_text(invite: Invite) -> str:
    e = invite.expires_at.astimezone(JST)
    return (
        f"{invite.member_name} 様（{invite.member_id}）の招待コードを発行しました: {invite.code}\n"
        f"有効期限: {e.year}年{e.month}月{e.day}日 {e.hour}:{e.minute:02d}（1回限り有効）\n"
        "このコードをご本人にお伝えください。LINE で公式アカウントを友だち追加し、"
        "コードをそのまま送信すると、委員としてリマインドを受け取れるようになります。"
        "以前に発行した未使用のコードは無効になりました。"
    )


def invite_reply(db: sqlite_utils.Database, member: str, *, by: str, now: dt.datetime) -> Reply:
    """For the staff commands: the code, or a polite error."""
    try:
        invite = issue_invite(db, member, by=by, now=now)
    except InviteError as exc:
        return Reply(kind="error", answered=False, text=str(exc))
    return Reply(
        kind="staff",
        answered=False,
        text=invite_text(invite),
        data={"member_id": invite.member_id, "expires_at": invite.expires_at.isoformat()},
    )


def redeem_invite(
    db: sqlite_utils.Database, code: str, *, user_id: str, user_hash: str, now: dt.datetime
) -> str | None:
    """Link the LINE user to the member the code was issued for; the member id, or None if the code is
    unknown, used, revoked or expired."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    with state_of(db).transaction() as tx:
        row = tx.one(
            "SELECT id, member_id, expires_at FROM member_invites"
            " WHERE code_hash = ? AND used_at IS NULL AND revoked_at IS NULL",
            [code_hash(normalized)],
        )
        if row is None or dt.datetime.fromisoformat(row["expires_at"]) <= now:
            return None
        used = tx.one(
            "UPDATE member_invites SET used_at = ?, used_by_hash = ? WHERE id = ? AND used_at IS NULL"
            " RETURNING id",
            [_iso(now), user_hash, row["id"]],
        )
        if used is None:
            return None
        _subscribe(tx, user_id, user_hash, now=now, member_id=row["member_id"])
    return str(row["member_id"])


# --- the LINE text commands --------------------------------------------------------------------------


def _when_text(offset_labels: list[str] | None) -> str:
    return "・".join(offset_labels) if offset_labels else "開催前"


def _next_text(db: sqlite_utils.Database, now: dt.datetime) -> str:
    m = next_meeting(db, now)
    return (
        f"次回は{m.title}（{m.when_ja()}、{m.place}）です。"
        if m
        else "次回の開催日程はまだ決まっていません。"
    )


def handle_text(
    db: sqlite_utils.Database,
    text: str,
    *,
    user_id: str | None,
    user_hash: str | None,
    now: dt.datetime,
    chat_type: str = "user",
    offset_labels: list[str] | None = None,
) -> Reply | None:
    """The reply to a subscription command or an invite code; None for any other text."""
    command = _command_text(text)
    is_sub = bool(_SUBSCRIBE.match(command))
    is_unsub = bool(_UNSUBSCRIBE.match(command))
    is_code = looks_like_code(text)
    if not (is_sub or is_unsub or is_code):
        return None
    if chat_type != "user" or not user_id or not user_hash:
        return Reply(
            kind="committee",
            answered=False,
            text="リマインドの登録・解除や招待コードの送信は、公式アカウントとの1対1のトークでお願いします。",
        )
    if is_sub:
        new = subscribe(db, user_id, user_hash, now=now)
        head = "委員会のリマインドを登録しました。" if new else "委員会のリマインドはすでに登録されています。"
        return Reply(
            kind="committee",
            answered=False,
            text=(
                f"{head}熊本市しごと・ひと・まち創生総合戦略 検証委員会の開催"
                f"{_when_text(offset_labels)}にお知らせします。"
                f"{_next_text(db, now)}\n配信を止めるときは「リマインド解除」と送ってください。"
            ),
            suggestions=SUGGEST_AFTER_SUBSCRIBE,
        )
    if is_unsub:
        member = subscription_member(db, user_id)
        removed = unsubscribe(db, user_id)
        if not removed:
            text_ = "リマインドは登録されていません。登録するには「リマインド登録」と送ってください。"
        else:
            text_ = "委員会のリマインドを解除しました。"
            if member:
                text_ += (
                    "委員としての登録も解除されました。再開するときは、事務局に招待コードをお尋ねください。"
                )
            else:
                text_ += "再開するときは「リマインド登録」と送ってください。"
        return Reply(kind="committee", answered=False, text=text_, suggestions=SUGGEST_AFTER_UNSUBSCRIBE)
    member_id = redeem_invite(db, text, user_id=user_id, user_hash=user_hash, now=now)
    if member_id is None:
        return Reply(
            kind="error",
            answered=False,
            text=(
                "この招待コードは使えません（入力の誤り、使用済み、または有効期限切れの可能性があります）。"
                "お手数ですが、事務局（政策企画課）に新しいコードをお尋ねください。"
            ),
        )
    row = db.execute("SELECT name FROM committee_members WHERE id = ?", [member_id]).fetchone()
    name = row[0] if row else "委員"
    return Reply(
        kind="committee",
        answered=False,
        text=(
            f"{name} 様、検証委員としてリマインドの受け取りを登録しました。"
            f"委員会の開催{_when_text(offset_labels)}に、日時・場所・議題と KPI の状況をお知らせします。"
            f"{_next_text(db, now)}"
        ),
        suggestions=SUGGEST_AFTER_SUBSCRIBE,
    )


# --- Slack: ``/meeting invite <member>`` (staff only; the Slack app answers staff commands ephemerally) --


def invite_command(db: sqlite_utils.Database, args: list[str], *, by: str, now: dt.datetime) -> Reply:
    if not args:
        return Reply(kind="error", answered=False, text="使い方: /meeting invite <委員のお名前または ID>")
    return invite_reply(db, " ".join(args), by=by, now=now)


staff_meetings.register("invite", invite_command)
staff_meetings.register("招待", invite_command)
