"""POST /line/webhook end to end: the real server under uvicorn, signed bodies, the fake LINE API.

Events of one delivery are processed in order in one background task, so a test that expects *no*
reply to an event sends it together with a marker event behind it: once the marker's reply has
arrived, the event before it has been handled.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from bot.line import flex as F
from bot.line import limits as L
from bot.line import texts as T
from bot.line.signature import sign

Post = Callable[..., httpx.Response]
Make = Callable[..., dict[str, Any]]
REPLY = "/v2/bot/message/reply"


def marker(text_event: Make) -> dict[str, Any]:
    return text_event("何が聞けるの？")


def replies_for(api: SimpleNamespace, token: str) -> list[Any]:
    return [r for r in api.replies() if r.body["replyToken"] == token]


def assert_within_limits(req: Any) -> None:
    assert L.check_messages(req.messages) == [], req.messages


def settled(db_path: Path, timeout: float = 60.0) -> None:
    """Wait until the server has done every event it acknowledged (the inbox has none pending), so a
    test can check that something did NOT happen without sleeping."""
    from store import open_store

    store = open_store(db_path, migrate_schema=False)
    try:
        deadline = time.monotonic() + timeout
        while store.inbox.pending():
            assert time.monotonic() < deadline, "the server did not finish its events"
            time.sleep(0.02)
    finally:
        store.close()


def seen_ids(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        return {r[0] for r in conn.execute("SELECT webhook_event_id FROM line_seen_events")}


# --- the request path --------------------------------------------------------------------------


@pytest.mark.parametrize("signature", [None, "", "bad", "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="])
def test_missing_or_wrong_signature_is_400_without_side_effect(
    post: Post,
    text_event: Make,
    line_api: SimpleNamespace,
    rig: SimpleNamespace,
    line_db_path: Path,
    signature: str | None,
) -> None:
    ev = text_event("待機児童の目標は？")
    resp = post(rig.body_of(ev), signature=signature)
    assert resp.status_code == 400
    assert ev["webhookEventId"] not in seen_ids(line_db_path)
    m = marker(text_event)
    assert post(rig.body_of(m)).status_code == 200
    line_api.wait_for(1)
    assert [r.body["replyToken"] for r in line_api.requests] == [m["replyToken"]]


def test_a_body_signed_with_another_secret_is_refused(
    post: Post, text_event: Make, rig: SimpleNamespace
) -> None:
    from bot.line.webhook import sign

    body = rig.body_of(text_event("DMOとは"))
    assert post(body, signature=sign(body, "another-secret")).status_code == 400


def test_oversized_body_is_413(post: Post, rig: SimpleNamespace, text_event: Make) -> None:
    body = rig.body_of(text_event("あ" * 100_000))  # ~300 KB > 256 KB
    assert post(body).status_code == 413


def test_oversized_chunked_body_without_length_is_413(http: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while reading
        for _ in range(40):
            yield b"x" * 10_000

    resp = http.post("/line/webhook", content=chunks(), headers={"X-Line-Signature": "irrelevant"})
    assert resp.status_code == 413


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[]", b'{"events": {}}', b'{"no": "events"}', b"\xff\xfe"]
)
def test_signed_garbage_is_400(post: Post, body: bytes) -> None:
    assert post(body).status_code == 400


def test_verify_request_with_no_events_is_200(post: Post, line_api: SimpleNamespace) -> None:
    assert post(b'{"destination":"Ubot","events":[]}').status_code == 200


def test_signed_nonsense_events_never_break_the_server(
    post: Post, rig: SimpleNamespace, text_event: Make, line_api: SimpleNamespace
) -> None:
    m = marker(text_event)
    events = [1, "x", None, [], {}, {"type": None}, {"type": "message", "message": None, "replyToken": 5}, m]
    body = json.dumps({"destination": rig.BOT_ID, "events": events}).encode()
    assert post(body).status_code == 200
    (req,) = line_api.wait_for(1)
    assert req.body["replyToken"] == m["replyToken"]


def test_acknowledged_at_once_even_when_line_is_slow(
    post: Post, rig: SimpleNamespace, text_event: Make, line_api: SimpleNamespace
) -> None:
    line_api.fail(REPLY, rig.Failure(200, body={"sentMessages": [{"id": "1"}]}, delay=2.0))
    ev = text_event("DMOとは")
    started = time.perf_counter()
    assert post(rig.body_of(ev)).status_code == 200
    assert time.perf_counter() - started < 1.0
    (req,) = line_api.wait_for(1)
    assert req.body["replyToken"] == ev["replyToken"]


# --- text messages -----------------------------------------------------------------------------


def test_text_message_is_answered_with_the_reply_token(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace
) -> None:
    payload = rig.load_fixture("text_message.json")
    token = payload["events"][0]["replyToken"]
    assert post(json.dumps(payload, ensure_ascii=False).encode()).status_code == 200
    (req,) = line_api.wait_for(1)
    assert req.path == REPLY and req.body["replyToken"] == token
    assert req.headers["authorization"] == f"Bearer {rig.ACCESS_TOKEN}"
    assert req.messages[0]["type"] == "text" and req.messages[0]["text"].strip()
    assert_within_limits(req)


def test_kpi_answer_comes_with_a_flex_bubble_and_quick_replies(
    post: Post, rig: SimpleNamespace, text_event: Make, line_api: SimpleNamespace
) -> None:
    ev = text_event("待機児童の目標は？")
    post(rig.body_of(ev))
    (req,) = line_api.wait_for(1)
    assert_within_limits(req)
    types = [m["type"] for m in req.messages]
    assert types == ["text", "flex"], req.messages
    flex = req.messages[1]
    bubble = flex["contents"]
    assert bubble["type"] == "bubble"
    flat = json.dumps(bubble, ensure_ascii=False)
    assert "待機児童" in flat and T.FLEX_BASELINE in flat and T.FLEX_TARGET in flat and T.FLEX_LATEST in flat
    assert any(color in flat for color in F.STATUS_COLORS.values())
    assert len(flat.encode()) <= L.MAX_BUBBLE_BYTES
    items = flex["quickReply"]["items"]
    assert 1 <= len(items) <= 13
    assert all(len(i["action"]["label"]) <= 20 and i["action"]["type"] == "message" for i in items)


def test_a_10000_character_message_gets_a_polite_reply(
    post: Post, rig: SimpleNamespace, text_event: Make, line_api: SimpleNamespace
) -> None:
    ev = text_event("待機児童" * 2500)
    assert post(rig.body_of(ev)).status_code == 200
    (req,) = line_api.wait_for(1)
    assert_within_limits(req)
    assert "長すぎ" in req.messages[0]["text"]


def test_postback_is_answered_as_the_question_it_carries(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, text_event: Make
) -> None:
    payload = rig.load_fixture("postback.json")
    post(json.dumps(payload).encode())
    (by_postback,) = line_api.wait_for(1)
    line_api.reset()
    post(rig.body_of(text_event("待機児童とは")))
    (by_text,) = line_api.wait_for(1)
    assert by_postback.messages == by_text.messages  # same question, same answer
    assert_within_limits(by_postback)


# --- groups and rooms --------------------------------------------------------------------------


def test_group_message_without_mention_gets_no_reply(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, text_event: Make, line_db_path: Path
) -> None:
    quiet = rig.load_fixture("group_text_no_mention.json")["events"][0]
    room = text_event("待機児童の目標は？", source={"type": "room", "roomId": "R1", "userId": rig.USER_ID})
    m = marker(text_event)
    post(rig.body_of(quiet, room, m))
    line_api.wait_for(1)
    settled(line_db_path)
    assert [r.body["replyToken"] for r in line_api.requests] == [m["replyToken"]]


def test_group_message_with_mention_or_trigger_is_answered(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, text_event: Make
) -> None:
    mentioned = rig.load_fixture("group_text_mention.json")["events"][0]
    group = {"type": "group", "groupId": "C1", "userId": rig.USER_ID}
    triggered = text_event("戦略bot 待機児童の目標は？", source=group)
    post(rig.body_of(mentioned, triggered))
    # two chats: answered side by side, in any order (one chat's events are answered in order)
    by_token = {r.body["replyToken"]: r for r in line_api.wait_for(2)}
    first, second = by_token[mentioned["replyToken"]], by_token[triggered["replyToken"]]
    assert first.messages == second.messages  # the same question, once mentioned, once by trigger word
    assert_within_limits(first)


# --- other events ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sticker", "image", "video", "audio", "file", "location"])
def test_every_non_text_message_gets_a_polite_reply(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, name: str
) -> None:
    payload = rig.load_fixture(f"{name}.json")
    post(json.dumps(payload, ensure_ascii=False).encode())
    (req,) = line_api.wait_for(1)
    assert req.body["replyToken"] == payload["events"][0]["replyToken"]
    assert_within_limits(req)
    text = req.messages[0]["text"]
    assert text.startswith(T.NON_TEXT[name]) and T.WHAT_I_CAN_DO in text
    assert req.messages[-1]["quickReply"]["items"]


def test_follow_gets_the_welcome_with_quick_replies(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace
) -> None:
    payload = rig.load_fixture("follow.json")
    post(json.dumps(payload).encode())
    (req,) = line_api.wait_for(1)
    assert req.messages[0]["text"] == T.WELCOME
    assert "リマインド登録" in req.messages[0]["text"]  # how to subscribe to committee reminders
    labels = [i["action"]["label"] for i in req.messages[-1]["quickReply"]["items"]]
    assert labels == list(T.EXAMPLE_QUESTIONS)
    assert_within_limits(req)


def test_unfollow_removes_the_users_subscriptions(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, line_db_path: Path, text_event: Make
) -> None:
    with sqlite3.connect(line_db_path) as conn:
        for uid in (rig.USER_ID, "Uother"):
            conn.execute(
                "INSERT OR REPLACE INTO line_subscriptions (user_id, user_hash, subscribed_at)"
                " VALUES (?, ?, ?)",
                (uid, "u_x", "2026-01-01T00:00:00+09:00"),
            )
    unfollow = rig.load_fixture("unfollow.json")["events"][0]
    m = marker(text_event)
    post(rig.body_of(unfollow, m))
    (req,) = line_api.wait_for(1)
    assert req.body["replyToken"] == m["replyToken"]  # unfollow itself has no reply token
    with sqlite3.connect(line_db_path) as conn:
        left = [r[0] for r in conn.execute("SELECT user_id FROM line_subscriptions")]
    assert rig.USER_ID not in left and "Uother" in left


def test_join_greets_the_group_and_says_how_to_call_the_bot(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, event: Make
) -> None:
    join = event("join", source={"type": "group", "groupId": "C1"})
    post(rig.body_of(join))
    (req,) = line_api.wait_for(1)
    assert "メンション" in req.messages[0]["text"]
    assert_within_limits(req)


# --- redelivery and LINE API failures ----------------------------------------------------------


def test_redelivered_event_is_acknowledged_and_skipped(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, text_event: Make, line_db_path: Path
) -> None:
    ev = text_event("DMOとは")
    body = rig.body_of(ev)
    assert post(body).status_code == 200
    line_api.wait_for(1)
    assert ev["webhookEventId"] in seen_ids(line_db_path)
    again = dict(ev, replyToken="rt-redelivered", deliveryContext={"isRedelivery": True})
    m = marker(text_event)
    assert post(body).status_code == 200  # the very same delivery again
    assert post(rig.body_of(again, m)).status_code == 200
    line_api.wait_for(2)
    settled(line_db_path)
    tokens = [r.body["replyToken"] for r in line_api.requests]
    assert tokens.count(ev["replyToken"]) == 1 and "rt-redelivered" not in tokens
    assert m["replyToken"] in tokens


def test_api_500_once_then_success(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, text_event: Make
) -> None:
    line_api.fail(REPLY, rig.Failure(500))
    ev = text_event("DMOとは")
    assert post(rig.body_of(ev)).status_code == 200
    first, second = line_api.wait_for(2)
    assert first.body == second.body and first.body["replyToken"] == ev["replyToken"]
    m = marker(text_event)  # the server is still fine
    post(rig.body_of(m))
    assert line_api.wait_for(3)[-1].body["replyToken"] == m["replyToken"]


def test_api_400_is_logged_without_the_message_text(
    post: Post,
    rig: SimpleNamespace,
    line_api: SimpleNamespace,
    text_event: Make,
    caplog: pytest.LogCaptureFixture,
    line_db_path: Path,
) -> None:
    line_api.fail(REPLY, rig.Failure(400, body={"message": "Invalid reply token"}))
    question = "待機児童の目標は？"
    with caplog.at_level(logging.DEBUG):
        post(rig.body_of(text_event(question)))
        line_api.wait_for(1)
        m = marker(text_event)
        post(rig.body_of(m))
        line_api.wait_for(2)
        settled(line_db_path)
    assert len(line_api.requests) == 2  # a 400 is not retried
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Invalid reply token" in logged
    assert question not in logged and rig.USER_ID not in logged
    assert "u_" in logged  # users appear as keyed hashes


# --- the SDK's own sample, through the real endpoint -------------------------------------------


def test_the_sdk_sample_webhook_runs_through_without_a_crash(
    post: Post, rig: SimpleNamespace, line_api: SimpleNamespace, line_db_path: Path, text_event: Make
) -> None:
    body = rig.PEER_FILE.read_bytes()
    with sqlite3.connect(line_db_path) as conn:
        conn.execute("DELETE FROM line_seen_events WHERE webhook_event_id = 'testwebhookeventid'")
    assert post(body).status_code == 200
    # every event shares one webhookEventId: one claim for the delivery, all its events handled in order
    expected = [
        "answer",  # text from a user
        # image in a room: quiet
        "video",
        "audio",
        "location",
        "sticker",
        "welcome",  # follow
        # unfollow: no reply token
        "join",
        "postback",  # action=buyItem…: carries no question
        # beacon ×2, accountLink: ignored; group and room text without mention: quiet
        "postback",
        "postback",
        "postback",
        # memberJoined, memberLeft: ignored
        "file",
        # unsend, videoPlayComplete: ignored
        "image",  # image from a user
        "answer",  # the redelivered text (first time this id is processed)
        # messageEdited, undefined: ignored
    ]
    reqs = line_api.wait_for(len(expected))
    m = marker(text_event)
    post(rig.body_of(m))
    reqs = line_api.wait_for(len(expected) + 1)
    reqs = [r for r in reqs if r.body["replyToken"] != m["replyToken"]]

    def kind_of(text: str) -> str:
        for kind, lead in T.NON_TEXT.items():
            if text.startswith(lead):
                return kind
        if text == T.WELCOME:
            return "welcome"
        if text == T.POSTBACK_UNKNOWN:
            return "postback"
        if "メンション" in text:
            return "join"
        return "answer"

    # replies are sent concurrently, so they may arrive in any order
    for req in reqs:
        assert_within_limits(req)
    assert Counter(kind_of(r.messages[0]["text"]) for r in reqs) == Counter(expected)
    answers = [r.messages for r in reqs if kind_of(r.messages[0]["text"]) == "answer"]
    assert answers[0] == answers[1]  # the same "Hello, world", answered the same way
    # LINE redelivers the sample: every event is acknowledged and skipped
    line_api.reset()
    assert post(body).status_code == 200
    m = marker(text_event)
    post(rig.body_of(m))
    line_api.wait_for(1)
    settled(line_db_path)
    assert [r.body["replyToken"] for r in line_api.requests] == [m["replyToken"]]


# --- configuration -----------------------------------------------------------------------------


def test_without_secrets_the_route_is_off_and_the_rest_runs(
    line_db_path: Path, rig: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.web.app import create_app

    settings = rig.settings(line_db_path, "http://127.0.0.1:9", line_channel_secret=None)
    with caplog.at_level(logging.INFO, logger="strategy_bot.line"):
        app = create_app(settings)
    off = [r for r in caplog.records if r.name == "strategy_bot.line" and "off" in r.getMessage()]
    assert len(off) == 1 and "\n" not in off[0].getMessage()
    with rig.ServerThread(app) as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/healthz").status_code == 200
        assert client.post("/line/webhook", content=b"{}").status_code in (404, 405)


def _children_of_this_process() -> list[int]:
    out: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):  # the thread ended meanwhile (its children,
            continue  # if any, now belong to a thread still listed)
    return out


def _serve(rig: SimpleNamespace, db_path: Path, api_url: str, **overrides: Any) -> Any:
    from bot.web.app import create_app

    return rig.ServerThread(create_app(rig.settings(db_path, api_url, **overrides)))


def _post_to(server: Any, rig: SimpleNamespace, *events: dict[str, Any]) -> int:
    body = rig.body_of(*events)
    headers = {"X-Line-Signature": sign(body, rig.CHANNEL_SECRET)}
    return httpx.post(server.url + "/line/webhook", content=body, headers=headers).status_code


def test_the_server_answers_in_threads_and_starts_no_process(
    rig: SimpleNamespace, fake_line: SimpleNamespace, built_db_path: Path, text_event: Make
) -> None:
    fake_line.reset()
    before = set(_children_of_this_process())
    with _serve(rig, built_db_path, fake_line.url) as server:
        ev = text_event("待機児童の目標は？")
        assert _post_to(server, rig, ev) == 200
        fake_line.wait_for(1)
        started = set(_children_of_this_process()) - before
    assert started == set()  # no answer process, no multiprocessing resource tracker
    fake_line.reset()


def test_acknowledged_events_wait_in_the_inbox_and_are_answered_at_the_next_start(
    rig: SimpleNamespace, fake_line: SimpleNamespace, built_db_path: Path, text_event: Make
) -> None:
    fake_line.reset()
    first, second = text_event("DMOとは"), text_event("MICEって何?")
    with _serve(rig, built_db_path, fake_line.url, line_worker_threads=0) as server:  # nobody answers
        assert _post_to(server, rig, first, second) == 200
        # LINE redelivers the first (a new reply token) before anyone answered it: processed, not skipped
        again = dict(first, replyToken="rt-again", deliveryContext={"isRedelivery": True})
        assert _post_to(server, rig, again) == 200
    assert fake_line.requests == []
    with _serve(rig, built_db_path, fake_line.url):
        replies = fake_line.wait_for(2)
    assert sorted(r.body["replyToken"] for r in replies) == sorted(["rt-again", second["replyToken"]])
    from store import open_store

    store = open_store(built_db_path)
    assert store.inbox.outcomes() == {"replied": 2} and store.inbox.pending() == 0
    store.close()
    fake_line.reset()


def test_a_database_that_goes_away_gives_503_and_the_bot_recovers(
    rig: SimpleNamespace, fake_line: SimpleNamespace, built_db_path: Path, text_event: Make
) -> None:
    from postgres import postgres_server

    with postgres_server() as pg:
        if pg is None:
            pytest.skip("PostgreSQL is not installed (make test installs it)")
        fake_line.reset()
        url = pg.create_database()
        with _serve(rig, built_db_path, fake_line.url, database_url=url) as server:
            health = httpx.get(server.url + "/healthz")
            assert health.status_code == 200 and health.json()["store_backend"] == "postgresql"
            pg.stop("fast")  # a clean stop: the throwaway server runs without fsync
            lost = text_event("DMOとは")
            assert _post_to(server, rig, lost) == 503  # LINE delivers it again later
            health = httpx.get(server.url + "/healthz", timeout=30)
            assert health.status_code == 503 and health.json()["store"] == "unavailable"
            pg.restart()
            deadline = time.monotonic() + 30
            while httpx.get(server.url + "/healthz", timeout=30).status_code != 200:
                assert time.monotonic() < deadline, "the store did not come back"
                time.sleep(0.1)
            assert _post_to(server, rig, lost) == 200  # the redelivery
            (reply,) = fake_line.wait_for(1, timeout=30)
            assert reply.body["replyToken"] == lost["replyToken"]
    fake_line.reset()
