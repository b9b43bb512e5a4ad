"""Keyed hashes of platform user ids, for logs and tables that must not hold the real id.

The key is ``USER_HASH_KEY``; without it a key is derived from a channel secret (stable across
restarts, still secret), and as a last resort a random per-process key is used (hashes then change
on restart, which is safe but makes logs harder to correlate).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

from bot.config import Settings

log = logging.getLogger("strategy_bot.privacy")

HASH_HEX_CHARS = 32  # 128 bits: collision-free for any realistic number of users
_DERIVE_LABEL = b"strategy-bot user-id hash key v1"
_process_key: bytes | None = None


def hash_user_id(user_id: str, key: bytes | str) -> str:
    """A keyed HMAC-SHA256 of ``user_id``, hex, prefixed ``u_``; the same id and key give the same hash."""
    k = key.encode("utf-8") if isinstance(key, str) else key
    if not k:
        raise ValueError("the user-id hash key must not be empty")
    digest = hmac.new(k, user_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return "u_" + digest[:HASH_HEX_CHARS]


def user_hash_key(settings: Settings) -> bytes:
    """The key for :func:`hash_user_id` from settings (never logged)."""
    global _process_key
    if settings.user_hash_key is not None and settings.user_hash_key.get_secret_value():
        return settings.user_hash_key.get_secret_value().encode("utf-8")
    for secret in (settings.line_channel_secret, settings.slack_signing_secret):
        if secret is not None and secret.get_secret_value():
            return hmac.new(secret.get_secret_value().encode("utf-8"), _DERIVE_LABEL, hashlib.sha256).digest()
    if _process_key is None:
        _process_key = secrets.token_bytes(32)
        log.warning("USER_HASH_KEY is not set: user ids are hashed with a per-process key")
    return _process_key
