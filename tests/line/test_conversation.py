"""Conversations over the real LINE webhook: each user keeps a topic of their own, and in a group or
room the same user keeps one per group.

A turn is posted only once the reply to the turn before it has arrived, so the order within one
conversation is fixed; turns of different conversations go in one delivery and are answered in any
order (each reply is found by its reply token).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx

Post = Callable[..., httpx.Response]
Make = Callable[..., dict[str, Any]]
REPLY = "/v2/bot/message/reply"
USER_A = "U" + "a" * 32
USER_B = "U" + "b" * 32
CLARIFY = "どの項目についてのご質問でしょうか"


def exchange(post: Post, line_api: Any, rig: SimpleNamespace, *events: dict[str, Any]) -> list[str]:
    """Post ``events`` in one signed delivery; return each one's reply (all its messages, as JSON text),
    in the order of ``events``."""
    assert post(rig.body_of(*events)).status_code == 200
    tokens = [e["replyToken"] for e in events]
    found = line_api.wait_until(
        lambda r: r.path == REPLY and r.body["replyToken"] in tokens,
        len(tokens),
        60.0,
        lambda: f"expected replies to {tokens}, got {[r.body for r in line_api.requests]}",
    )
    by_token = {r.body["replyToken"]: json.dumps(r.messages, ensure_ascii=False) for r in found}
    return [by_token[t] for t in tokens]


def user(user_id: str) -> dict[str, str]:
    return {"type": "user", "userId": user_id}


def test_two_users_interleaved_keep_their_own_topics(
    post: Post, text_event: Make, line_api: Any, rig: SimpleNamespace
) -> None:
    a, b = user(USER_A), user(USER_B)
    births, tourism = exchange(
        post,
        line_api,
        rig,
        text_event("出生数はどうなってる？", source=a),
        text_event("観光消費額は？", source=b),
    )
    assert "出生数" in births and "観光消費額" in tourism
    a_target, b_target = exchange(
        post, line_api, rig, text_event("その目標は？", source=a), text_event("その目標は？", source=b)
    )
    assert "出生数" in a_target and "7,000" in a_target and "852" not in a_target
    assert "観光消費額" in b_target and "852" in b_target and "7,000" not in b_target


def test_the_same_user_in_two_groups_keeps_a_topic_per_group(
    post: Post, text_event: Make, line_api: Any, rig: SimpleNamespace
) -> None:
    g1 = {"type": "group", "groupId": "Cgroup1" + "0" * 26, "userId": USER_A}
    g2 = {"type": "group", "groupId": "Cgroup2" + "0" * 26, "userId": USER_A}
    room = {"type": "room", "roomId": "Rroom1" + "0" * 27, "userId": USER_A}
    exchange(
        post,
        line_api,
        rig,
        text_event("戦略bot 出生数はどうなってる？", source=g1),
        text_event("戦略bot 観光消費額は？", source=g2),
    )
    in_g1, in_g2, in_room, in_chat = exchange(
        post,
        line_api,
        rig,
        text_event("戦略bot その目標は？", source=g1),
        text_event("戦略bot その目標は？", source=g2),
        text_event("戦略bot その目標は？", source=room),
        text_event("その目標は？", source=user("U" + "c" * 32)),
    )
    assert "7,000" in in_g1 and "852" not in in_g1
    assert "852" in in_g2 and "7,000" not in in_g2
    assert CLARIFY in in_room and CLARIFY in in_chat  # nothing asked there yet


def test_a_postback_continues_the_conversation(
    post: Post, text_event: Make, event: Make, line_api: Any, rig: SimpleNamespace
) -> None:
    """A tapped suggestion (a postback) is a turn of the same conversation."""
    source = user("U" + "d" * 32)
    exchange(post, line_api, rig, text_event("観光消費額は？", source=source))
    (reply,) = exchange(
        post, line_api, rig, event("postback", source=source, postback={"data": "q=その目標は？"})
    )
    assert "観光消費額" in reply and "852" in reply
