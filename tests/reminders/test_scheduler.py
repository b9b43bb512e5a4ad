"""The scheduler end to end: real SQLite file, real slack_sdk and LINE SDK clients, fake APIs on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from pathlib import Path

import pytest

from bot.line.api import LineSender
from bot.privacy import hash_user_id
from bot.reminders import store
from bot.reminders.scheduler import Scheduler
from bot.reminders.slack_poster import SlackPoster, make_client
from handlers.subscriptions import subscribe
from strategy_data.database import connect
from strategy_data.meetings import NewMeeting, add_meeting, cancel_meeting, move_meeting

from .conftest import (
    HASH_KEY,
    HISTORY,
    POST_MESSAGE,
    PUSH,
    STAFF_CHANNEL,
    Clock,
    Failure,
    FakeLine,
    FakeSlack,
    close_scheduler,
    jst,
    make_scheduler,
    make_settings,
)

SCHEDULED_AT = jst(2030, 4, 1, 10, 0)
START = jst(2030, 5, 10, 14, 0)  # Friday
T_7D = jst(2030, 5, 3, 14, 0, 20)
T_1D = jst(2030, 5, 9, 14, 0, 20)
T_2H = jst(2030, 5, 10, 12, 0, 20)
USERS = ["U1111111111111111111111111111111", "U2222222222222222222222222222222"]


def uhash(user_id: str) -> str:
    return hash_user_id(user_id, HASH_KEY)


def setup_db(path: Path, *, start: dt.datetime = START, users: list[str] = USERS) -> int:
    db = connect(path)
    try:
        m = add_meeting(
            db,
            NewMeeting(
                starts_at=start,
                place="市役所本館4階 会議室",
                agenda=["KPIの進捗について", "次期戦略の方向性"],
            ),
            by="test",
            now=SCHEDULED_AT,
        )
        for u in users:
            subscribe(db, u, uhash(u), now=SCHEDULED_AT)
        return int(m.staff_id or 0)
    finally:
        db.close()


def rows(path: Path) -> list[store.Delivery]:
    db = connect(path)
    try:
        return [store.Delivery.from_row(r) for r in db.query("SELECT * FROM reminder_deliveries ORDER BY id")]
    finally:
        db.close()


def flex_alt(push) -> str:
    [message] = push.body["messages"]
    assert message["type"] == "flex"
    return message["altText"]


def test_restart_between_two_offsets(built_db_path: Path, line: FakeLine, slack: FakeSlack) -> None:
    setup_db(built_db_path)
    settings = make_settings(built_db_path, line, slack)
    clock = Clock(T_7D)
    first = make_scheduler(settings, clock)
    report = first.run_once()
    assert report.count("sent") == 3  # the staff channel and two LINE users
    assert first.run_once().outcomes == []  # the next tick: nothing again
    close_scheduler(first)  # the server stops …

    second = make_scheduler(settings, clock)  # … and starts again: a new process, a new connection
    clock.set(jst(2030, 5, 6, 9, 0))
    assert second.run_once().outcomes == []
    clock.set(T_1D)
    report = second.run_once()
    assert [(o.kind, o.status, o.late) for o in report.outcomes] == [("1d", "sent", False)] * 3
    assert second.run_once().outcomes == []
    close_scheduler(second)

    posts = slack.posts()
    assert len(posts) == 2
    assert "7日後" in posts[0]["text"] and "明日開催されます" in posts[1]["text"]
    assert posts[1]["blocks"][0]["text"]["text"] == "第6回検証委員会 開催のお知らせ"
    for u in USERS:
        pushes = line.pushes_to(u)
        assert len(pushes) == 2
        assert len({p.headers["x-line-retry-key"] for p in pushes}) == 2
        assert "2030年5月10日（金） 14:00〜" in flex_alt(pushes[1])
    assert len(line.calls(PUSH)) == 4  # no retries, no duplicates
    assert {(r.kind, r.status) for r in rows(built_db_path)} == {("7d", "sent"), ("1d", "sent")}


def race(settings, clock: Clock) -> list:
    """Two schedulers, each with its own connection, start a pass at the same instant."""
    schedulers = [make_scheduler(settings, clock) for _ in range(2)]
    barrier = threading.Barrier(2)
    reports: list = [None, None]

    def run(i: int) -> None:
        barrier.wait()
        reports[i] = schedulers[i].run_once()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for s in schedulers:
        close_scheduler(s)
    return reports


def test_two_schedulers_at_once_send_each_reminder_once(
    built_db_path: Path, line: FakeLine, slack: FakeSlack
) -> None:
    users = [f"U{i:032d}" for i in range(6)]
    setup_db(built_db_path, users=users)
    settings = make_settings(built_db_path, line, slack)
    for moment in (T_7D, T_1D, T_2H):
        reports = race(settings, Clock(moment))
        assert sum(r.count("sent") for r in reports) == 1 + len(users)
    assert len(slack.posts()) == 3
    for u in users:
        assert len(line.pushes_to(u)) == 3
    assert len(line.calls(PUSH)) == 3 * len(users)  # not even a second request that LINE deduplicated
    assert len(rows(built_db_path)) == 3 * (1 + len(users))


def test_moved_and_cancelled_meetings(built_db_path: Path, line: FakeLine, slack: FakeSlack) -> None:
    moving = setup_db(built_db_path)
    db = connect(built_db_path)
    cancelled = add_meeting(
        db,
        NewMeeting(starts_at=jst(2030, 5, 12, 10, 0), place="中央区役所", agenda=["報告"]),
        by="t",
        now=SCHEDULED_AT,
    )
    settings = make_settings(built_db_path, line, slack, reminder_offsets=["7d", "1d"])
    clock = Clock(T_7D)
    s = make_scheduler(settings, clock)
    assert s.run_once().count("sent") == 3  # meeting 6, 7 days ahead
    clock.set(jst(2030, 5, 5, 10, 0, 30))
    assert s.run_once().count("sent") == 3  # meeting 7, 7 days ahead

    moved_at = jst(2030, 5, 6, 9, 0)
    move_meeting(db, moving, jst(2030, 5, 20, 10, 0), by="t", now=moved_at)
    cancel_meeting(db, int(cancelled.staff_id or 0), by="t", now=moved_at)
    clock.set(moved_at + dt.timedelta(seconds=30))
    report = s.run_once()
    assert sorted((o.title, o.kind) for o in report.outcomes if o.status == "sent") == sorted(
        [("第6回検証委員会", "moved")] * 3 + [("第7回検証委員会", "cancelled")] * 3
    )
    notices = slack.posts()[-2:]
    texts = {p["blocks"][0]["text"]["text"]: p["text"] for p in notices}
    assert "変更前: 2030年5月10日（金）14:00〜" in texts["第6回検証委員会 日時変更のお知らせ"]
    assert "2030年5月20日（月） 10:00〜" in texts["第6回検証委員会 日時変更のお知らせ"]
    assert "中止になりました" in texts["第7回検証委員会 中止のお知らせ"]

    # the old 1-day times pass in silence; the moved meeting's new reminders come on the new dates
    for moment in (jst(2030, 5, 9, 14, 1), jst(2030, 5, 11, 10, 1), jst(2030, 5, 12, 11)):
        clock.set(moment)
        assert s.run_once().outcomes == []
    clock.set(jst(2030, 5, 13, 10, 0, 30))
    assert [(o.kind, o.late) for o in s.run_once().outcomes] == [("7d", False)] * 3
    clock.set(jst(2030, 5, 19, 10, 0, 30))
    assert [o.kind for o in s.run_once().outcomes] == ["1d"] * 3
    close_scheduler(s)
    db.close()
    assert len(slack.posts()) == 6
    for u in USERS:
        alts = [flex_alt(p) for p in line.pushes_to(u)]
        assert len(alts) == 6
        assert "5月20日" in alts[-1] and "明日" in alts[-1]


def test_line_push_failing_twice_then_succeeding(
    built_db_path: Path, line: FakeLine, slack: FakeSlack
) -> None:
    setup_db(built_db_path, users=USERS[:1])
    line.fail(PUSH, Failure(500, {"message": "boom"}), Failure(503, {"message": "busy"}))
    s = make_scheduler(make_settings(built_db_path, line, slack), Clock(T_1D))
    report = s.run_once()
    close_scheduler(s)
    calls = line.calls(PUSH)
    assert len(calls) == 3
    assert len({c.headers["x-line-retry-key"] for c in calls}) == 1  # the same key on every try
    assert len(line.pushes_to(USERS[0])) == 1
    [row] = [r for r in rows(built_db_path) if r.recipient.startswith("line:")]
    assert (row.status, row.attempts, row.retry_key) == ("sent", 3, calls[0].headers["x-line-retry-key"])
    assert report.count("failed") == 0
    assert len(slack.posts()) == 1  # the reminder itself, no failure report


def test_line_accepted_but_answer_lost_is_not_delivered_twice(
    built_db_path: Path, line: FakeLine, slack: FakeSlack
) -> None:
    setup_db(built_db_path, users=USERS[:1])
    line.fail(PUSH, Failure(500, {"message": "lost"}, accept=True))
    s = make_scheduler(make_settings(built_db_path, line, None), Clock(T_1D))
    assert s.run_once().count("sent") == 1
    close_scheduler(s)
    assert [c.headers["x-line-retry-key"] for c in line.calls(PUSH)] == [
        line.calls(PUSH)[0].headers["x-line-retry-key"]
    ] * 2
    assert len(line.pushes_to(USERS[0])) == 1  # LINE answered the retry with 409
    assert rows(built_db_path)[0].detail == "already delivered (retry key)"


def test_failure_after_the_last_try_is_reported_on_the_staff_channel(
    built_db_path: Path, line: FakeLine, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    setup_db(built_db_path, users=USERS[:1])
    line.fail(PUSH, *[Failure(500, {"message": "down"})] * 4)
    s = make_scheduler(make_settings(built_db_path, line, slack), Clock(T_1D))
    with caplog.at_level(logging.INFO):
        report = s.run_once()
    close_scheduler(s)
    assert report.count("failed") == 1 and report.count("sent") == 1
    assert len(line.calls(PUSH)) == 4 and line.pushes_to(USERS[0]) == []
    _reminder, failure = slack.posts()
    assert "送信できませんでした（1件）" in failure["text"]
    assert f"LINE {uhash(USERS[0])}" in failure["text"] and "HTTP 500" in failure["text"]
    assert USERS[0] not in failure["text"] and USERS[0] not in caplog.text  # never the raw id
    [row] = [r for r in rows(built_db_path) if r.recipient.startswith("line:")]
    assert (row.status, row.attempts) == ("failed", 4)
    # a failed delivery is final: later passes do not retry it (and never send it twice)
    s = make_scheduler(make_settings(built_db_path, line, slack), Clock(T_1D + dt.timedelta(minutes=1)))
    assert s.run_once().outcomes == []
    close_scheduler(s)


class VirtualTime:
    """A monotonic clock that moves only when the code under test sleeps: waits are checked exactly,
    whatever the machine's load, and take no real time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.now += max(0.0, seconds)


def test_slack_rate_limit_is_retried_and_posts_are_paced(
    built_db_path: Path, line: FakeLine, slack: FakeSlack
) -> None:
    db = connect(built_db_path)
    for day in (10, 11, 12):
        add_meeting(db, NewMeeting(starts_at=jst(2030, 5, day, 14), place="市役所"), by="t", now=SCHEDULED_AT)
    db.close()
    slack.fail(POST_MESSAGE, Failure(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}))
    settings = make_settings(built_db_path, None, slack)
    vt = VirtualTime()
    slack.clock = vt  # requests are stamped in the same virtual time (one at a time, in order)
    poster = SlackPoster(make_client(settings), min_interval=0.2, backoff=0.05, sleep=vt.sleep, monotonic=vt)
    clock = Clock(jst(2030, 5, 5, 15))
    s = Scheduler(connect(built_db_path), settings, clock=clock, slack=poster, sleep=vt.sleep)
    report = s.run_once()
    close_scheduler(s)
    assert report.count("sent") == 3
    calls = slack.calls(POST_MESSAGE)
    assert len(calls) == 4 and len(slack.posts()) == 3
    assert calls[1].at - calls[0].at >= 1.0  # Retry-After honoured
    gaps = [b.at - a.at for a, b in itertools.pairwise(calls[1:])]
    assert all(g >= 0.2 for g in gaps)  # at most one post per interval per channel
    assert all(c.headers["authorization"] == "Bearer xoxb-test-token" for c in calls)


def test_slack_post_whose_answer_was_lost_is_not_posted_again(
    built_db_path: Path, line: FakeLine, slack: FakeSlack
) -> None:
    setup_db(built_db_path, users=[])
    slack.fail(POST_MESSAGE, Failure(200, drop=True))  # Slack posts it, the connection drops
    s = make_scheduler(make_settings(built_db_path, None, slack), Clock(T_1D))
    assert s.run_once().count("sent") == 1
    close_scheduler(s)
    assert len(slack.calls(POST_MESSAGE)) == 1 and len(slack.posts()) == 1
    assert len(slack.calls(HISTORY)) == 1


def test_claim_of_a_crashed_run_is_resumed_without_a_second_delivery(
    built_db_path: Path, line: FakeLine, slack: FakeSlack
) -> None:
    """A run claimed both deliveries and sent them, then died before recording it."""
    setup_db(built_db_path, users=USERS[:1])
    settings = make_settings(built_db_path, line, slack)
    clock = Clock(T_1D)
    slack.ts_clock = lambda: clock().timestamp()  # Slack stamps messages in the test's time
    db = connect(built_db_path)
    dead = Scheduler(db, settings, clock=clock, run_id="dead-run")
    planned = dead.preview(T_1D)
    assert len(planned) == 2
    for p in planned:
        d = store.claim(
            dead.deliveries,
            p.key,
            due_at=p.due_at,
            late=False,
            run_id="dead-run",
            now=T_1D,
            lease=dt.timedelta(minutes=10),
        )
        assert d is not None
        if p.recipient.channel == "slack":
            SlackPoster(make_client(settings)).post(STAFF_CHANNEL, "reminder", delivery=d.retry_key)
        else:
            sender = LineSender.from_settings(settings)
            assert sender.push(USERS[0], [{"type": "text", "text": "reminder"}], d.retry_key).ok
            sender.close()
    dead.close()
    db.close()

    clock.set(T_1D + dt.timedelta(minutes=5))
    s = make_scheduler(settings, clock)
    assert s.run_once().outcomes == []  # the lease still holds: nobody touches it
    clock.advance(minutes=10)
    report = s.run_once()
    close_scheduler(s)
    assert report.count("sent") == 2
    assert len(slack.posts()) == 1  # found in the channel's history: not posted again
    assert len(line.pushes_to(USERS[0])) == 1 and len(line.calls(PUSH)) == 2  # the retry got 409
    assert {r.status for r in rows(built_db_path)} == {"sent"}


def test_unsubscribed_user_gets_nothing(built_db_path: Path, line: FakeLine, slack: FakeSlack) -> None:
    from handlers.subscriptions import unsubscribe

    setup_db(built_db_path)
    db = connect(built_db_path)
    unsubscribe(db, USERS[1])
    db.close()
    s = make_scheduler(make_settings(built_db_path, line, slack), Clock(T_1D))
    assert s.run_once().count("sent") == 2
    close_scheduler(s)
    assert len(line.pushes_to(USERS[0])) == 1 and line.pushes_to(USERS[1]) == []


def test_late_send_rule(
    built_db_path: Path, line: FakeLine, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    setup_db(built_db_path, users=USERS[:1])
    settings = make_settings(built_db_path, line, slack)
    # down from before the 7-day mark until three hours after the 1-day mark: one reminder, marked late
    clock = Clock(jst(2030, 5, 9, 17, 0))
    s = make_scheduler(settings, clock)
    report = s.run_once()
    assert [(o.kind, o.late) for o in report.outcomes] == [("1d", True), ("1d", True)]
    [post] = slack.posts()
    assert "予定より遅れてお送りしています（本来は5月9日（木）14:00にお送りする予定でした）" in post["text"]
    assert any(b["type"] == "context" and "遅れて" in b["elements"][0]["text"] for b in post["blocks"])
    assert "遅れて" in flex_alt(line.pushes_to(USERS[0])[0])
    # down again across the 2-hour mark and the start: skipped, logged, not sent
    clock.set(jst(2030, 5, 10, 14, 30))
    with caplog.at_level(logging.WARNING, logger="strategy_bot.reminders"):
        report = s.run_once()
    close_scheduler(s)
    assert [(o.kind, o.status) for o in report.outcomes] == [("2h", "skipped")] * 2
    assert "skipped: missed: the meeting had already started" in caplog.text
    assert len(slack.posts()) == 1 and len(line.calls(PUSH)) == 1
    assert sorted((r.kind, r.status) for r in rows(built_db_path)) == [
        ("1d", "sent"),
        ("1d", "sent"),
        ("2h", "skipped"),
        ("2h", "skipped"),
    ]


def test_reminder_within_grace_is_not_late(built_db_path: Path, line: FakeLine, slack: FakeSlack) -> None:
    setup_db(built_db_path, users=[])
    s = make_scheduler(make_settings(built_db_path, None, slack), Clock(T_2H + dt.timedelta(minutes=5)))
    [o] = s.run_once().outcomes
    close_scheduler(s)
    assert (o.kind, o.late) == ("2h", False)
    assert "本日 14:00 から開催されます（あと約2時間）" in slack.posts()[0]["text"]


def test_interrupted_line_push_older_than_the_retry_key_is_not_resent(
    built_db_path: Path, line: FakeLine, slack: FakeSlack
) -> None:
    setup_db(built_db_path, users=USERS[:1])
    settings = make_settings(built_db_path, line, slack)
    db = connect(built_db_path)
    planner = Scheduler(db, settings)
    [p] = [p for p in planner.preview(T_7D) if p.recipient.channel == "line"]
    store.claim(
        planner.deliveries,
        p.key,
        due_at=p.due_at,
        late=False,
        run_id="dead",
        now=T_7D,
        lease=dt.timedelta(minutes=10),
    )
    db.close()
    s = make_scheduler(settings, Clock(T_7D + dt.timedelta(days=1)))
    report = s.run_once()
    close_scheduler(s)
    assert [(o.kind, o.status) for o in report.outcomes if o.recipient.startswith("LINE")] == [
        ("7d", "failed")
    ]
    assert line.calls(PUSH) == []
    assert "retry key expired" in slack.posts()[-1]["text"]
