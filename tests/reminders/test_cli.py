"""``strategy-bot remind`` and ``strategy-bot meetings``: thin commands, checked by what they leave behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from strategy_data.database import connect

from .conftest import HASH_KEY, LINE_TOKEN, PUSH, SLACK_TOKEN, STAFF_CHANNEL, FakeLine, FakeSlack
from .test_scheduler import USERS, setup_db, uhash


@pytest.fixture
def env(built_db_path: Path, line: FakeLine, slack: FakeSlack) -> dict[str, str]:
    return {
        "STRATEGY_BOT_DB": str(built_db_path),
        "USER_HASH_KEY": HASH_KEY,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_API_URL": f"{slack.url}/api/",
        "SLACK_REMINDER_CHANNEL": STAFF_CHANNEL,
        "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
        "LINE_API_BASE_URL": line.url,
    }


def run(env: dict[str, str], *args: str):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def deliveries(path: Path) -> int:
    db = connect(path)
    try:
        return db["reminder_deliveries"].count
    finally:
        db.close()


def test_dry_run_prints_and_sends_nothing(built_db_path: Path, env, line: FakeLine, slack: FakeSlack) -> None:
    setup_db(built_db_path)
    result = run(env, "remind", "--dry-run", "--now", "2030-05-09T17:00", "--show-text")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "dry run at 2030-05-09T17:00+09:00: 3 reminder(s), nothing sent" in out
    assert (
        "LATE 第6回検証委員会 2030年5月10日（金） 14:00〜 [1d] due 2030-05-09T14:00+09:00"
        f" -> Slack {STAFF_CHANNEL}" in out
    )
    for u in USERS:
        assert f"-> LINE {uhash(u)}" in out and u not in out  # hashes, never the raw ids
    assert "予定より遅れてお送りしています" in out
    assert line.requests == [] and slack.requests == []
    assert deliveries(built_db_path) == 0


def test_remind_sends_once(built_db_path: Path, env, line: FakeLine, slack: FakeSlack) -> None:
    setup_db(built_db_path)
    result = run(env, "remind", "--now", "2030-05-03T14:00:30")
    assert result.exit_code == 0, result.output
    assert "sent 3, failed 0" in result.output
    again = run(env, "remind", "--now", "2030-05-03T14:05")
    assert "sent 0, failed 0" in again.output
    assert len(slack.posts()) == 1 and len(line.calls(PUSH)) == 2


def test_remind_rejects_bad_input(env) -> None:
    assert run(env, "remind", "--now", "tomorrow").exit_code == 2
    bad = CliRunner().invoke(main, ["remind", "--dry-run"], env={**env, "REMINDER_OFFSETS": "7d,soon"})
    assert bad.exit_code == 2 and "REMINDER_OFFSETS" in bad.output


def test_meetings_add_list_move_cancel(built_db_path: Path, env) -> None:
    added = run(env, "meetings", "add", "2030-05-10", "14:00", "市役所本館4階", "KPIの進捗", "次期戦略")
    assert added.exit_code == 0, added.output
    assert "added #1: 第6回検証委員会 2030年5月10日（金） 14:00〜 市役所本館4階" in added.output
    listed = run(env, "meetings", "list", "--now", "2030-04-01T00:00")
    assert "#1  第6回検証委員会" in listed.output and "・次期戦略" in listed.output
    moved = run(env, "meetings", "move", "1", "2030/5/17", "10:30")
    assert "moved #1: 第6回検証委員会 2030年5月17日（金） 10:30〜" in moved.output
    cancelled = run(env, "meetings", "cancel", "1")
    assert cancelled.exit_code == 0 and "cancelled #1" in cancelled.output
    assert (
        "予定されている会議はありません" in run(env, "meetings", "list", "--now", "2030-04-01T00:00").output
    )
    everything = run(env, "meetings", "list", "--all")
    assert "[中止]" in everything.output and "第2回検証委員会" in everything.output
    missing = run(env, "meetings", "cancel", "99")
    assert missing.exit_code == 1 and "no staff meeting #99" in missing.output
    bad = run(env, "meetings", "add", "2030-02-30", "14:00", "市役所")
    assert bad.exit_code == 2


def test_meetings_invite(built_db_path: Path, env) -> None:
    result = run(env, "meetings", "invite", "坂本", "浩")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"坂本 浩 様（member-sakamoto）の招待コードを発行しました: KC-\w{5}-\w{5}", result.output
    )
    missing = run(env, "meetings", "invite", "nobody")
    assert missing.exit_code == 1 and "名簿にありません" in missing.output


def test_every_command_has_help() -> None:
    for args in (
        ["remind"],
        ["meetings"],
        *[["meetings", c] for c in ("list", "add", "cancel", "move", "ics", "invite")],
    ):
        result = CliRunner().invoke(main, [*args, "--help"])
        assert result.exit_code == 0 and len(result.output.splitlines()) > 3
