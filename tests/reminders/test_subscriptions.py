"""Subscription commands and one-time member invite codes (channel-neutral)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handlers.subscriptions import (
    InviteError,
    handle_text,
    invite_reply,
    issue_invite,
    normalize_code,
)
from strategy_data.clock import JST
from strategy_data.database import connect

NOW = dt.datetime(2030, 4, 1, 9, 0, tzinfo=JST)
U1, U2 = "U" + "1" * 32, "U" + "2" * 32


@pytest.fixture
def db(built_db_path: Path):
    conn = connect(built_db_path)
    yield conn
    conn.close()


def say(db, text: str, user: str = U1, **kw):
    return handle_text(db, text, user_id=user, user_hash=f"u_{user[-4:]}", now=kw.pop("now", NOW), **kw)


def subscribed(db) -> dict[str, str | None]:
    return {r["user_id"]: r["member_id"] for r in db.query("SELECT * FROM line_subscriptions")}


@pytest.mark.parametrize(
    "text",
    [
        "リマインド登録",
        "リマインド 登録",
        "リマインダー登録",
        "リマインドを登録して",
        "ﾘﾏｲﾝﾄﾞ登録！",
        " リマインド登録。",
    ],
)
def test_subscribe_variants(db, text: str) -> None:
    reply = say(db, text, offset_labels=["1週間前", "前日", "2時間前"])
    assert reply is not None and reply.kind == "committee"
    assert "リマインドを登録しました" in reply.text and "1週間前・前日・2時間前" in reply.text
    assert subscribed(db) == {U1: None}


@pytest.mark.parametrize(
    "text", ["次の委員会はいつ？", "リマインド", "登録", "リマインド登録の方法は？", "KPIの登録状況", "KC123"]
)
def test_other_text_is_not_a_command(db, text: str) -> None:
    assert say(db, text) is None
    assert subscribed(db) == {}


def test_subscribe_twice_and_unsubscribe(db) -> None:
    assert "登録しました" in say(db, "リマインド登録").text
    assert "すでに登録されています" in say(db, "リマインド登録").text
    assert [r["subscribed_at"] for r in db.query("SELECT * FROM line_subscriptions")] == [NOW.isoformat()]
    reply = say(db, "リマインド解除")
    assert "解除しました" in reply.text and reply.suggestions[0] == "リマインド登録"
    assert subscribed(db) == {}
    assert "登録されていません" in say(db, "リマインド解除").text


def test_group_chats_cannot_subscribe(db) -> None:
    reply = say(db, "リマインド登録", chat_type="group")
    assert reply is not None and "1対1のトーク" in reply.text
    assert subscribed(db) == {}


def test_invite_code_links_member_once(db) -> None:
    invite = issue_invite(db, "荒川浩二", by="slack:UADMIN", now=NOW)
    assert invite.member_id == "member-arakawa" and invite.code.startswith("KC-")
    stored = list(db.query("SELECT * FROM member_invites"))
    assert len(stored) == 1 and invite.code not in str(stored)  # stored hashed only
    assert normalize_code(invite.code.replace("-", "").lower()) == invite.code.replace("-", "")

    say(db, "リマインド登録", user=U2)
    reply = say(db, f" {invite.code.lower()} ", user=U1, now=NOW + dt.timedelta(hours=1))
    assert reply.kind == "committee" and reply.text.startswith("荒川 浩二 様、検証委員として")
    assert subscribed(db) == {U1: "member-arakawa", U2: None}
    used = next(iter(db.query("SELECT * FROM member_invites")))
    assert used["used_at"] and used["used_by_hash"] == f"u_{U1[-4:]}"
    # single use: the same code from someone else does nothing
    again = say(db, invite.code, user=U2)
    assert again.kind == "error" and "使えません" in again.text
    assert subscribed(db) == {U1: "member-arakawa", U2: None}
    # a member who unsubscribes loses the link too
    assert "委員としての登録も解除されました" in say(db, "リマインド解除", user=U1).text


def test_invite_code_expires_and_reissue_revokes(db) -> None:
    old = issue_invite(db, "member-kimura", by="t", now=NOW)
    new = issue_invite(db, "きむら みつのぶ", by="t", now=NOW)
    assert say(db, old.code).kind == "error"  # revoked by the new one
    assert say(db, new.code, now=NOW + dt.timedelta(days=8)).kind == "error"  # expired
    assert subscribed(db) == {}
    fresh = issue_invite(db, "木村", by="t", now=NOW)
    assert say(db, fresh.code, now=NOW + dt.timedelta(days=6)).kind == "committee"


def test_wrong_codes_get_a_polite_error(db) -> None:
    for text in ("KC-AAAAA-AAAAA", "招待コード KC-23456-789AB", "KC-12345"):
        reply = say(db, text)
        assert reply is not None and reply.kind == "error" and "事務局" in reply.text
    assert subscribed(db) == {}


def test_member_lookup_errors(db) -> None:
    with pytest.raises(InviteError, match="名簿にありません"):
        issue_invite(db, "山田太郎", by="t", now=NOW)
    with pytest.raises(InviteError, match="指定してください"):
        issue_invite(db, "  ", by="t", now=NOW)
    reply = invite_reply(db, "存在しない人", by="t", now=NOW)
    assert reply.kind == "error" and "名簿にありません" in reply.text
    ok = invite_reply(db, "member-arakawa", by="t", now=NOW)
    assert ok.kind == "staff" and "KC-" in ok.text and "有効期限: 2030年4月8日 9:00" in ok.text
