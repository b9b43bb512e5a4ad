"""Conversation state: what a follow-up question needs to know about the last exchange in a chat.

The key is the channel, the keyed user hash and, in a group or a thread, its id — never a raw user id.
The state is any JSON object; it expires (``expires_at``), expired rows are invisible to :meth:`get`
and deleted by :meth:`sweep`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from store.backend import Backend

DEFAULT_TTL = 30 * 60.0


def conversation_key(channel: str, user_hash: str, place: str | None = None) -> str:
    """``line:u_…`` or ``slack:u_…:C123/1700000000.0001`` (group, room or thread when there is one)."""
    if ":" in channel or not user_hash:
        raise ValueError("channel must not contain ':' and user_hash must not be empty")
    return f"{channel}:{user_hash}" + (f":{place}" if place else "")


class Conversations:
    def __init__(self, backend: Backend):
        self.backend = backend

    def get(self, key: str, *, now: float | None = None) -> dict[str, Any] | None:
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            row = tx.one("SELECT state FROM conversations WHERE key = ? AND expires_at > ?", [key, moment])
        return json.loads(row["state"]) if row else None

    def put(
        self, key: str, state: dict[str, Any], *, ttl: float = DEFAULT_TTL, now: float | None = None
    ) -> None:
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            tx.execute(
                "INSERT INTO conversations (key, state, updated_at, expires_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET state = excluded.state,"
                " updated_at = excluded.updated_at, expires_at = excluded.expires_at",
                [key, json.dumps(state, ensure_ascii=False), moment, moment + ttl],
            )

    def delete(self, key: str) -> None:
        with self.backend.transaction() as tx:
            tx.execute("DELETE FROM conversations WHERE key = ?", [key])

    def sweep(self, *, now: float | None = None) -> int:
        """Delete expired conversations; return how many."""
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            tx.execute("DELETE FROM conversations WHERE expires_at <= ?", [moment])
            return tx.rowcount
