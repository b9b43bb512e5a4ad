"""The Slack app over HTTP: signed requests to the real server, the fake Web API recording calls."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.slack import texts as T

SlackRig = Any  # the ``rig`` fixture of tests/slack/conftest.py
OUTSIDER = "UOUTSIDE1"
GROUP_MEMBER = "UGROUP001"


def api(method: str):
    return lambda c: c.api == method


def load_fixture(name: str) -> dict:
    from pathlib import Path

    return json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "slack" / name).read_text("utf-8"))


def _mention(text: str = "<@UBOT0001> 待機児童の目標は？", **extra: object) -> dict:
    event = load_fixture("app_mention.json")
    event.update(text=text, **extra)
    return event


def _section_texts(blocks: list[dict]) -> str:
    out = []
    for b in blocks:
        if b.get("text"):
            out.append(b["text"]["text"])
        for f in b.get("fields", []):
            out.append(f["text"])
        for e in b.get("elements", []):
            if isinstance(e.get("text"), str):
                out.append(e["text"])
    return "\n".join(out)


# --- the transport: verification, ack, retries ---------------------------------------------------


def test_url_verification_handshake(rig: SlackRig):
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    resp = rig.post(body, "application/json")
    assert resp.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in resp.text


def test_bad_signature_is_401_with_no_side_effect(rig: SlackRig):
    db = rig.db()
    before = db["unanswered"].count
    resp = rig.event(_mention(), event_id="EvBADSIG01", signature="v0=" + "0" * 64)
    assert resp.status_code == 401
    resp = rig.command("/kpi", "set births 2021 6500", signature="v0=deadbeef")[0]
    assert resp.status_code == 401
    rig.settled()
    assert rig.fake.calls == []
    assert db["unanswered"].count == before
    # the refused event id was not taken: the genuine delivery is processed
    assert rig.event(_mention(), event_id="EvBADSIG01").status_code == 200
    rig.fake.wait_for(api("chat.postMessage"))
    db.close()


def test_stale_timestamp_is_401(rig: SlackRig):
    stale = int(time.time()) - 6 * 60
    resp = rig.event(_mention(), timestamp=stale)  # correctly signed, but 6 minutes old
    assert resp.status_code == 401
    future = int(time.time()) + 6 * 60
    assert rig.event(_mention(), timestamp=future).status_code == 401
    rig.settled()
    assert rig.fake.calls == []


def test_signature_over_a_different_body_is_401(rig: SlackRig):
    ts = str(int(time.time()))
    body = json.dumps(
        {"type": "event_callback", "event_id": "EvTAMPER1", "event": _mention()}, ensure_ascii=False
    ).encode()
    signature = rig.signature(body.replace("待機児童".encode(), "出生数".encode()), ts)
    assert rig.post(body, "application/json", timestamp=int(ts), signature=signature).status_code == 401


def test_mention_is_acked_and_answered_in_thread(rig: SlackRig):
    resp = rig.event(_mention())
    assert resp.status_code == 200
    [post] = rig.fake.wait_for(api("chat.postMessage"))
    assert post.body["channel"] == "C0GENERAL1"
    assert post.body["thread_ts"] == "1717200000.000200"
    blocks = post.body["blocks"]
    assert blocks[0]["type"] == "section" and "待機児童" in blocks[0]["text"]["text"]
    # the KPI as fields, a context line with the source, suggestion buttons that ask questions
    [fields] = [b for b in blocks if b.get("fields")]
    assert fields["fields"][0]["text"].startswith("*基準値*") and "0人" in fields["fields"][1]["text"]
    assert any(
        e["text"].startswith("出典: ") for b in blocks if b["type"] == "context" for e in b["elements"]
    )
    [buttons] = [b for b in blocks if b["type"] == "actions"]
    assert all(e["action_id"].startswith("ask_suggestion_") and e["value"] for e in buttons["elements"])
    assert post.body["text"]  # notification text
    assert post.headers["authorization"] == "Bearer xoxb-test-token"


def test_the_answer_follows_the_ack(rig: SlackRig):
    """Slack gets its 200 before the answer is posted: while the Web API holds every post (and every
    response_url post), the event and the command are acknowledged all the same, their answers are
    on their way, and they arrive once the posts go through."""
    posts, responses = rig.fake.hold("chat.postMessage"), rig.fake.hold("response")
    assert rig.event(_mention()).status_code == 200
    resp, url = rig.command("/strategy", "DMOとは？", user=OUTSIDER)
    assert resp.status_code == 200 and resp.content == b""
    rig.fake.wait_held("chat.postMessage")
    rig.fake.wait_held("response")
    posts.set()
    responses.set()
    rig.fake.wait_for(api("chat.postMessage"))
    rig.posts_to(url)


def test_commands_and_clicks_are_acked_while_every_worker_is_busy(rig: SlackRig):
    """A command's or a click's acknowledgement does not wait for a free worker thread: with all
    eight busy (each answer's post held by the fake Web API), ``/strategy`` and a suggestion click
    still get their 200 at once (Bolt, acking from a worker, gave up after 3 s and answered 404), and
    their answers follow when the workers are free again."""
    release = rig.fake.hold("chat.postMessage")
    busy = 8  # the app's worker threads
    for _ in range(busy):
        assert rig.event(load_fixture("message_im.json")).status_code == 200
    rig.fake.wait_held("chat.postMessage", busy)
    resp, url = rig.command("/strategy", "DMOとは？", user=OUTSIDER)
    assert (resp.status_code, resp.content) == (200, b"")
    click, click_url = rig.click({"action_id": "ask_suggestion_1", "value": "MICEとは？"}, user=OUTSIDER)
    assert (click.status_code, click.content) == (200, b"")
    assert rig.work_pending() == busy + 2  # acknowledged; their work waits for a thread
    release.set()
    assert "DMO" in _section_texts(rig.posts_to(url)[0].body["blocks"])
    assert "MICE" in _section_texts(rig.posts_to(click_url)[0].body["blocks"])
    rig.fake.wait_for(api("chat.postMessage"), count=busy)


def test_work_that_fails_after_the_ack_tells_the_user(rig: SlackRig, caplog):
    """The work after the ack reports its failure as a listener's would: logged by kind (never the
    text), and the user gets the polite error through the click's response_url."""
    rig.fake.fail("/api/chat.postMessage", rig.Failure(200, {"ok": False, "error": "channel_not_found"}))
    with caplog.at_level("ERROR", logger="strategy_bot.slack"):
        resp, url = rig.click({"action_id": "ask_suggestion_0", "value": "DMOとは？"}, ephemeral=False)
        assert resp.status_code == 200
        [post] = rig.posts_to(url)
    assert post.body["text"] == T.INTERNAL_ERROR and post.body["response_type"] == "ephemeral"
    assert any("slack listener failed: SlackApiError" in r.getMessage() for r in caplog.records)


def test_direct_message_is_answered(rig: SlackRig):
    assert rig.event(load_fixture("message_im.json")).status_code == 200
    [post] = rig.fake.wait_for(api("chat.postMessage"))
    assert post.body["channel"] == "D0DIRECT01"
    assert "thread_ts" not in post.body or post.body["thread_ts"] is None


def test_many_questions_at_once(rig: SlackRig):
    """Listeners answer in parallel threads, each with its own database connection; questions the bot
    cannot answer are recorded (a write) while others read."""
    questions = ["DMOとは？", "ゴミの収集日はいつ？", "待機児童の目標は？", "明日の天気は？"] * 4

    def ask(q: str) -> int:
        event = {**load_fixture("message_im.json"), "text": q}
        return rig.event(event).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(ask, questions)) == [200] * len(questions)
    posts = rig.fake.wait_for(api("chat.postMessage"), count=len(questions))
    assert len(posts) == len(questions)
    assert all(p.body["blocks"] for p in posts)


def test_bot_messages_and_edits_are_ignored(rig: SlackRig):
    assert rig.event(load_fixture("message_bot.json")).status_code == 200
    assert rig.event(load_fixture("message_changed.json")).status_code == 200
    assert rig.event({"type": "reaction_added", "user": "U1", "reaction": "+1"}).status_code == 200
    rig.settled()
    assert rig.fake.matching(api("chat.postMessage")) == []


def test_retry_is_acknowledged_and_not_processed_again(rig: SlackRig):
    assert rig.event(_mention(), event_id="EvRETRY001").status_code == 200
    rig.fake.wait_for(api("chat.postMessage"))
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    resp = rig.event(_mention(), event_id="EvRETRY001", headers=retry)
    assert resp.status_code == 200
    resp = rig.event(_mention(), event_id="EvRETRY001", headers={**retry, "X-Slack-Retry-Num": "2"})
    assert resp.status_code == 200
    rig.settled()
    assert len(rig.fake.matching(api("chat.postMessage"))) == 1


def test_retry_of_an_event_never_received_is_processed_once(rig: SlackRig):
    """If the first delivery never reached us (server down), the retry is the only chance to answer."""
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    assert rig.event(_mention(), event_id="EvLOST0001", headers=retry).status_code == 200
    rig.fake.wait_for(api("chat.postMessage"))
    assert (
        rig.event(_mention(), event_id="EvLOST0001", headers={**retry, "X-Slack-Retry-Num": "2"}).status_code
        == 200
    )
    rig.settled()
    assert len(rig.fake.matching(api("chat.postMessage"))) == 1


def test_healthz_counts_the_work_under_way(rig: SlackRig):
    """``slack_work_pending`` is what ``settled`` waits for: an acknowledged question whose answer is
    still being posted counts, and stops counting once it is posted."""
    release = rig.fake.hold("chat.postMessage")
    assert rig.event(load_fixture("message_im.json")).status_code == 200
    rig.fake.wait_held("chat.postMessage")
    assert rig.work_pending() == 1  # the post is held: its work cannot have finished
    release.set()
    rig.settled()
    assert rig.work_pending() == 0
    assert len(rig.fake.matching(api("chat.postMessage"))) == 1


def test_malformed_but_signed_body_is_400_not_500(rig: SlackRig):
    assert rig.post(b"{not json", "application/json").status_code == 400
    assert rig.post(b"\xff\xfe", "application/json").status_code == 400


# --- questions ------------------------------------------------------------------------------------


def test_strategy_command_answers_by_response_url(rig: SlackRig):
    resp, url = rig.command("/strategy", "DMOとは？", user=OUTSIDER)
    assert resp.status_code == 200
    [post] = rig.posts_to(url)
    assert post.body["response_type"] == "ephemeral"
    assert "DMOとは？" in _section_texts(post.body["blocks"])  # the question is echoed


def test_empty_strategy_command_gets_a_polite_prompt(rig: SlackRig):
    _, url = rig.command("/strategy", "   ", user=OUTSIDER)
    [post] = rig.posts_to(url)
    assert T.EMPTY_QUESTION in post.body["text"]


def test_suggestion_button_asks_its_question(rig: SlackRig):
    resp, url = rig.click(
        {"action_id": "ask_suggestion_2", "value": "DMOとは？"}, user=OUTSIDER, ephemeral=True
    )
    assert resp.status_code == 200
    [post] = rig.posts_to(url)
    assert post.body["replace_original"] is False
    # in a channel message (not ephemeral) the answer is posted as a new message
    rig.click({"action_id": "ask_suggestion_0", "value": "DMOとは？"}, user=OUTSIDER, ephemeral=False)
    [msg] = rig.fake.wait_for(api("chat.postMessage"))
    assert msg.body["channel"] == "C0STAFF001"


# --- staff authorization --------------------------------------------------------------------------


def test_unauthorized_user_is_refused_and_nothing_changes(rig: SlackRig):
    db = rig.db()
    counts = (db["kpi_actuals"].count, db["kpi_audit"].count, db["staff_meetings"].count)
    for command, text in [
        ("/kpi", "set births 2019 6500"),
        ("/kpi", "undo"),
        ("/kpi", "list"),
        ("/meeting", "add 2030-01-10 14:00 市役所 議題"),
        ("/meeting", "cancel 1"),
        ("/strategy", "unanswered 7"),
    ]:
        resp, url = rig.command(command, text, user=OUTSIDER)
        assert resp.status_code == 200
        [post] = rig.posts_to(url)
        assert post.body["response_type"] == "ephemeral"
        assert post.body["text"] == T.REFUSAL
    # a confirm button forwarded to someone who is not staff writes nothing either
    confirm = {
        "action": "kpi_set",
        "nonce": "n-outsider",
        "entry": {"kpi_id": "births", "year": 2019, "value": 6500.0, "note": None},
    }
    _, url = rig.click({"action_id": "kpi_set_confirm", "value": json.dumps(confirm)}, user=OUTSIDER)
    [post] = rig.posts_to(url)
    assert post.body["text"] == T.REFUSAL
    assert (db["kpi_actuals"].count, db["kpi_audit"].count, db["staff_meetings"].count) == counts
    db.close()


def test_user_group_member_counts_as_staff(rig: SlackRig):
    _, url = rig.command("/kpi", "help", user=GROUP_MEMBER)
    [post] = rig.posts_to(url)
    assert post.body["text"] != T.REFUSAL
    assert "/kpi list" in post.body["text"]  # the help of the staff command
