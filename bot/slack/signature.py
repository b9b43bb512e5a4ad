"""Slack request signatures (``X-Slack-Signature``), checked on the raw body before anything is parsed."""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_CLOCK_SKEW = 5 * 60  # seconds: older (or newer) requests are refused as replays


def signature_ok(
    body: bytes, timestamp: str | None, signature: str | None, secret: str, now: float | None = None
) -> bool:
    """Slack's ``v0`` signature: HMAC-SHA256 of ``v0:{timestamp}:{body}``, and a fresh timestamp."""
    if not secret or not timestamp or not signature:
        return False
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - ts) > MAX_CLOCK_SKEW:
        return False
    base = b"v0:" + str(ts).encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
