"""``X-Line-Signature``: base64 HMAC-SHA256 of the raw request body with the channel secret.

Checked on the raw bytes, before anything is parsed, with a constant-time comparison.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(body: bytes, channel_secret: str) -> str:
    """The ``X-Line-Signature`` LINE sends for ``body``: base64 HMAC-SHA256 with the channel secret."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_ok(body: bytes, signature: str | None, channel_secret: str) -> bool:
    if not signature:
        return False
    expected = sign(body, channel_secret).encode("ascii")
    return hmac.compare_digest(expected, signature.strip().encode("utf-8", "replace"))
