"""``/meeting invite <member>`` through the real Slack endpoint, and the code redeemed on LINE."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
import urllib.parse
from pathlib import Path

import httpx

from bot.web.app import create_app
from handlers.subscriptions import handle_text
from strategy_data.clock import now_jst
from strategy_data.database import connect

from .conftest import FakeSlack, ServerThread, make_settings

SIGNING_SECRET = "test-signing-secret"
STAFF, OUTSIDER = "U0STAFF01", "U0OUTSIDE"


def command(http: httpx.Client, slack: FakeSlack, text: str, user: str, n: int) -> dict:
    fields = {
        "token": "x",
        "team_id": "T0TEST",
        "channel_id": "C0STAFF",
        "user_id": user,
        "user_name": "staff",
        "command": "/meeting",
        "text": text,
        "response_url": f"{slack.url}/response/{n}",
        "trigger_id": f"trigger.{n}",
    }
    body = urllib.parse.urlencode(fields).encode()
    ts = str(int(time.time()))
    sig = (
        "v0="
        + hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )
    r = http.post(
        "/slack/events",
        content=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sig,
        },
    )
    assert r.status_code == 200
    [posted] = slack.wait_for(f"/response/{n}", 1)
    return posted.body


def test_staff_invite_on_slack_then_redeem_on_line(built_db_path: Path, slack: FakeSlack) -> None:
    settings = make_settings(
        built_db_path, None, slack, slack_signing_secret=SIGNING_SECRET, slack_staff_user_ids=[STAFF]
    )
    with ServerThread(create_app(settings)) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        refused = command(http, slack, "invite 荒川 浩二", OUTSIDER, 1)
        assert refused["response_type"] == "ephemeral" and "KC-" not in str(refused)
        unknown = command(http, slack, "invite 山田太郎", STAFF, 2)
        assert "名簿にありません" in str(unknown)
        reply = command(http, slack, "invite 荒川 浩二", STAFF, 3)
        assert reply["response_type"] == "ephemeral"  # only the staff member sees the code
        help_text = command(http, slack, "help", STAFF, 4)
        assert "/meeting invite" in str(help_text)
    code = re.search(r"KC-[A-Z0-9]{5}-[A-Z0-9]{5}", str(reply)).group(0)
    db = connect(built_db_path)
    [row] = db.query("SELECT * FROM member_invites")
    assert row["created_by"].endswith(STAFF) and row["member_id"] == "member-arakawa"
    linked = handle_text(db, code, user_id="U" + "9" * 32, user_hash="u_x", now=now_jst())
    assert linked is not None and linked.text.startswith("荒川 浩二 様")
    db.close()
