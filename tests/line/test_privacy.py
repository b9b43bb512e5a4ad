"""Keyed hashes of user ids."""

from __future__ import annotations

from bot.config import Settings
from bot.privacy import hash_user_id, user_hash_key


def test_same_id_same_key_same_hash_and_no_raw_id() -> None:
    a = hash_user_id("U4af4980629aaaa", "key")
    assert a == hash_user_id("U4af4980629aaaa", b"key")
    assert a.startswith("u_") and len(a) == 34
    assert "U4af4980629aaaa" not in a
    assert a != hash_user_id("U4af4980629aaab", "key")
    assert a != hash_user_id("U4af4980629aaaa", "other key")


def test_key_from_settings_is_stable_and_falls_back_to_the_channel_secret() -> None:
    explicit = Settings.model_validate({"user_hash_key": "k1"})
    assert user_hash_key(explicit) == b"k1"
    derived = Settings.model_validate({"line_channel_secret": "s", "line_channel_access_token": "t"})
    assert user_hash_key(derived) == user_hash_key(derived)
    assert user_hash_key(derived) != b"s"  # derived, not the secret itself
    bare = Settings.model_validate({})
    assert user_hash_key(bare) == user_hash_key(bare)  # one per-process key
