"""X-Line-Signature: the SDK's known answer, and our check on raw bytes."""

from __future__ import annotations

import json

import pytest
from linebot.v3 import SignatureValidator

from bot.line.signature import sign, signature_ok


def test_known_answer_from_the_sdk() -> None:
    assert sign(b"bodybodybodybody", "channel_secret") == "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="
    assert signature_ok(b"bodybodybodybody", "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k=", "channel_secret")


def test_agrees_with_the_sdk_validator_on_japanese_bodies() -> None:
    body = json.dumps({"events": [{"type": "message", "message": {"text": "待機児童"}}]}, ensure_ascii=False)
    signature = sign(body.encode(), "秘密の鍵")
    assert SignatureValidator("秘密の鍵").validate(body, signature)
    assert not SignatureValidator("秘密の鍵").validate(body, sign(body.encode(), "other"))


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "x",
        "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k",
        "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k=x",
        "署名",
        "\x00",
    ],
)
def test_missing_or_wrong_signatures_fail(signature: str | None) -> None:
    assert not signature_ok(b"bodybodybodybody", signature, "channel_secret")


def test_a_changed_body_fails() -> None:
    assert not signature_ok(
        b"bodybodybodybodY", "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k=", "channel_secret"
    )
