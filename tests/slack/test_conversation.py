"""Conversations on Slack through the real server: a thread is one conversation (per user), a DM is one.

Each turn is sent once the answer to the turn before it has been posted, so the order within a
conversation is fixed without any waiting for time to pass.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

SlackRig = Any  # the ``rig`` fixture of tests/slack/conftest.py
CHANNEL = "C0CONVERS1"
CLARIFY = "どの項目についてのご質問でしょうか"


def _ts() -> str:
    return f"1717300000.{uuid.uuid4().int % 10**6:06d}"


def posts_in(rig: SlackRig, channel: str, thread_ts: str | None, count: int) -> list[str]:
    """The first ``count`` answers posted to ``channel`` (in ``thread_ts``), each as JSON text."""

    def here(c: Any) -> bool:
        return (
            c.api == "chat.postMessage"
            and c.body.get("channel") == channel
            and (c.body.get("thread_ts") == thread_ts)
        )

    return [json.dumps(c.body, ensure_ascii=False) for c in rig.fake.wait_for(here, count)][:count]


def mention(rig: SlackRig, text: str, user: str, *, ts: str, thread_ts: str | None = None) -> None:
    event = {**rig.load_fixture("app_mention.json"), "text": f"<@UBOT0001> {text}", "user": user}
    event.update(channel=CHANNEL, ts=ts, event_ts=ts)
    event.pop("blocks", None)
    if thread_ts:
        event["thread_ts"] = thread_ts
    assert rig.event(event).status_code == 200


def dm(rig: SlackRig, text: str, user: str, channel: str) -> None:
    ts = _ts()
    event = {**rig.load_fixture("message_im.json"), "text": text, "user": user, "channel": channel}
    event.update(ts=ts, event_ts=ts, client_msg_id=str(uuid.uuid4()))
    assert rig.event(event).status_code == 200


def test_a_thread_keeps_its_topic_and_another_thread_does_not_share_it(rig: SlackRig) -> None:
    user, root = "UCONVTHR1", _ts()
    mention(rig, "出生数はどうなってる？", user, ts=root)  # a mention in the channel: its thread
    (first,) = posts_in(rig, CHANNEL, root, 1)
    assert "出生数" in first
    mention(rig, "その目標は？", user, ts=_ts(), thread_ts=root)
    follow = posts_in(rig, CHANNEL, root, 2)[1]
    assert "出生数" in follow and "7,000" in follow and CLARIFY not in follow
    elsewhere = _ts()
    mention(rig, "その目標は？", user, ts=elsewhere)
    (other,) = posts_in(rig, CHANNEL, elsewhere, 1)
    assert CLARIFY in other and "7,000" not in other


def test_two_people_in_one_thread_each_keep_their_own_topic(rig: SlackRig) -> None:
    root = _ts()
    mention(rig, "観光消費額は？", "UCONVPER1", ts=root)
    posts_in(rig, CHANNEL, root, 1)
    mention(rig, "その目標は？", "UCONVPER2", ts=_ts(), thread_ts=root)
    second = posts_in(rig, CHANNEL, root, 2)[1]
    assert CLARIFY in second  # the topic is the first person's, not the thread's


def test_a_direct_message_conversation(rig: SlackRig) -> None:
    user, channel = "UCONVDM01", "D0CONVDM01"
    dm(rig, "観光消費額は？", user, channel)
    posts_in(rig, channel, None, 1)
    dm(rig, "その目標は？", user, channel)
    follow = posts_in(rig, channel, None, 2)[1]
    assert "観光消費額" in follow and "852" in follow
    dm(rig, "じゃあ出生数は？", user, channel)
    births = posts_in(rig, channel, None, 3)[2]
    assert "出生数" in births and "7,000" in births


def test_a_slash_command_follow_up_and_its_share_keep_the_topic(rig: SlackRig) -> None:
    """/strategy in one channel is one conversation; 「チャンネルに共有」 shares the answer the user saw."""
    from bot.slack import render as R

    user = "UCONVCMD1"
    _, url = rig.command("/strategy", "出生数はどうなってる？", user=user)
    rig.posts_to(url)
    _, url = rig.command("/strategy", "その目標は？", user=user)
    (private,) = rig.posts_to(url)
    assert "7,000" in json.dumps(private.body, ensure_ascii=False)
    _, share_url = rig.click({"action_id": R.SHARE_ACTION, "value": "その目標は？"}, user=user)
    posted = rig.posts_to(share_url, count=2)[0]
    shared = json.dumps(posted.body, ensure_ascii=False)
    assert posted.body["response_type"] == "in_channel"
    assert "出生数" in shared and "7,000" in shared and CLARIFY not in shared
