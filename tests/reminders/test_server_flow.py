"""Through the real server: LINE users subscribe and redeem invite codes by signed webhooks, unfollow
ends a subscription, the scheduler thread of ``serve`` sends, and ``GET /meetings.ics`` exports."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.line.webhook import sign
from bot.reminders import service
from bot.web.app import create_app
from handlers.subscriptions import issue_invite
from strategy_data.clock import now_jst
from strategy_data.database import connect
from strategy_data.meetings import NewMeeting, add_meeting

from .conftest import (
    LINE_SECRET,
    PUSH,
    REPLY,
    Clock,
    FakeLine,
    FakeSlack,
    ServerThread,
    close_scheduler,
    jst,
    make_scheduler,
    make_settings,
)
from .test_ics import parse

U_CITIZEN, U_MEMBER = "U" + "c" * 32, "U" + "m" * 32
_ids = itertools.count(1)


def event(kind: str, user: str, **fields: Any) -> dict[str, Any]:
    eid = f"01REMIND{next(_ids):018d}"
    ev: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user},
        "webhookEventId": eid,
        "deliveryContext": {"isRedelivery": False},
    }
    if kind != "unfollow":
        ev["replyToken"] = f"rt-{eid}"
    ev.update(fields)
    return ev


def text_event(user: str, text: str) -> dict[str, Any]:
    return event(
        "message", user, message={"type": "text", "id": str(next(_ids)), "text": text, "quoteToken": "q"}
    )


def post(http: httpx.Client, ev: dict[str, Any]) -> None:
    body = json.dumps({"destination": "Ubot", "events": [ev]}, ensure_ascii=False).encode()
    r = http.post("/line/webhook", content=body, headers={"X-Line-Signature": sign(body, LINE_SECRET)})
    assert r.status_code == 200


def reply_text(line: FakeLine, count: int) -> str:
    r = line.wait_for(REPLY, count)[count - 1]
    return "\n".join(m.get("text", m.get("altText", "")) for m in r.body["messages"])


def test_subscribe_invite_unfollow_then_remind(built_db_path: Path, line: FakeLine, slack: FakeSlack) -> None:
    db = connect(built_db_path)
    add_meeting(
        db,
        NewMeeting(starts_at=jst(2030, 5, 10, 14), place="市役所", agenda=["報告"]),
        by="t",
        now=jst(2030, 4, 1),
    )
    settings = make_settings(built_db_path, line, slack)
    with ServerThread(create_app(settings)) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        post(http, text_event(U_CITIZEN, "リマインド登録"))
        assert "委員会のリマインドを登録しました" in reply_text(line, 1)
        invite = issue_invite(db, "荒川 浩二", by="slack:UADMIN", now=now_jst())
        post(http, text_event(U_MEMBER, invite.code))
        assert "荒川 浩二 様、検証委員としてリマインドの受け取りを登録しました" in reply_text(line, 2)
        post(http, text_event(U_CITIZEN, invite.code))  # used already
        assert "この招待コードは使えません" in reply_text(line, 3)
        post(http, text_event(U_CITIZEN, "次の委員会はいつ？"))  # not a command: the answer pipeline
        line.wait_for(REPLY, 4)
        rows = {r["user_id"]: r["member_id"] for r in db.query("SELECT * FROM line_subscriptions")}
        assert rows == {U_CITIZEN: None, U_MEMBER: "member-arakawa"}
        hashes = [r["user_hash"] for r in db.query("SELECT user_hash FROM line_subscriptions")]
        assert all(h.startswith("u_") for h in hashes)

        # the member unfollows: no more pushes for them
        post(http, event("unfollow", U_MEMBER))
        deadline = time.monotonic() + 60
        while db.execute("SELECT COUNT(*) FROM line_subscriptions").fetchone()[0] != 1:
            assert time.monotonic() < deadline, "unfollow did not remove the subscription"
            time.sleep(0.02)

    s = make_scheduler(settings, Clock(jst(2030, 5, 9, 14, 0, 30)))
    report = s.run_once()
    close_scheduler(s)
    assert report.count("sent") == 2  # the staff channel and the citizen
    assert len(line.pushes_to(U_CITIZEN)) == 1 and line.pushes_to(U_MEMBER) == []
    assert all(r.body["to"] != U_MEMBER for r in line.calls(PUSH))
    db.close()


def test_member_is_addressed_by_name(built_db_path: Path, line: FakeLine) -> None:
    db = connect(built_db_path)
    add_meeting(db, NewMeeting(starts_at=jst(2030, 5, 10, 14), place="市役所"), by="t", now=jst(2030, 4, 1))
    from handlers.subscriptions import handle_text

    invite = issue_invite(db, "member-kobayashi", by="t", now=jst(2030, 4, 1))
    handle_text(db, invite.code, user_id=U_MEMBER, user_hash="u_member", now=jst(2030, 4, 2))
    s = make_scheduler(make_settings(built_db_path, line, None), Clock(jst(2030, 5, 3, 14, 0, 5)))
    assert s.run_once().count("sent") == 1
    close_scheduler(s)
    db.close()
    [push] = line.pushes_to(U_MEMBER)
    bubble = push.body["messages"][0]["contents"]
    assert bubble["body"]["contents"][0]["text"] == "小林 寛子 様"


def test_scheduler_runs_inside_serve_and_stops_with_it(
    built_db_path: Path, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "FIRST_TICK_SECONDS", 0.0)
    monkeypatch.setattr(service, "TICK_SECONDS", 0.1)
    now = now_jst()
    # the 2-hour mark passed a minute or two ago; the meeting was added an hour ago
    start = (now + dt.timedelta(hours=2) - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    db = connect(built_db_path)
    add_meeting(db, NewMeeting(starts_at=start, place="市役所"), by="t", now=now - dt.timedelta(hours=1))
    db.close()
    settings = make_settings(built_db_path, None, slack, scheduler_enabled=True)
    app = create_app(settings)
    [thread] = [
        fn.__self__
        for fn in app.state.ctx.on_startup
        if isinstance(getattr(fn, "__self__", None), service.SchedulerThread)
    ]
    with ServerThread(app):
        slack.wait_for("/api/chat.postMessage", 1)
        # two more whole passes after the post was seen (the one that posted may still be finishing):
        # each of them found the reminder already delivered
        after = thread.passes
        deadline = time.monotonic() + 60
        while thread.passes < after + 2:
            assert time.monotonic() < deadline, "the scheduler stopped making passes"
            time.sleep(0.02)
        assert any(t.name == "reminder-scheduler" for t in threading.enumerate())
    assert len(slack.posts()) == 1
    assert "から開催されます（あと約2時間）" in slack.posts()[0]["text"]
    assert "遅れて" not in slack.posts()[0]["text"]
    assert not any(t.name == "reminder-scheduler" and t.is_alive() for t in threading.enumerate())


def test_scheduler_is_off_when_disabled(built_db_path: Path) -> None:
    app = create_app(make_settings(built_db_path, None, None, scheduler_enabled=False))
    hooks = app.state.ctx.on_startup + app.state.ctx.on_shutdown
    assert not any(isinstance(getattr(fn, "__self__", None), service.SchedulerThread) for fn in hooks)
    enabled = create_app(make_settings(built_db_path, None, None, scheduler_enabled=True))
    assert any(
        isinstance(getattr(fn, "__self__", None), service.SchedulerThread)
        for fn in enabled.state.ctx.on_startup
    )


def test_meetings_ics_endpoint(built_db_path: Path) -> None:
    settings = make_settings(built_db_path, None, None)
    with ServerThread(create_app(settings)) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        r = http.get("/meetings.ics")
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/calendar; charset=utf-8"
        comps = parse(r.content.decode("utf-8"))
        assert sum(c["type"] == "VEVENT" for c in comps) == 4  # 第2回〜第5回 from the data
        assert http.head("/meetings.ics").status_code == 200
