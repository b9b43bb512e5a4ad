"""Confirm previews: what a 記録する button will write, issued once, confirmable once.

:meth:`Previews.issue` stores the preview (kind, subject, payload, what the subject looked like — the
``basis`` — who it was shown to, expiry) under a random code the button carries. :meth:`Previews.use`
takes it exactly once (``UPDATE … WHERE used_at IS NULL RETURNING``): a code never issued, already used,
expired, or pressed by someone else is refused with the reason; the caller compares the basis with the
subject as it is now and refuses a confirm whose subject changed since the preview.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal

from store.backend import Backend

DEFAULT_TTL = 15 * 60.0

Refusal = Literal["unknown", "used", "expired", "other_user"]


@dataclass(frozen=True)
class Preview:
    code: str
    kind: str
    subject: str
    payload: dict[str, Any]
    basis: Any
    issued_to: str


@dataclass(frozen=True)
class Used:
    preview: Preview | None
    refusal: Refusal | None = None


class Previews:
    def __init__(self, backend: Backend):
        self.backend = backend

    def issue(
        self,
        kind: str,
        subject: str,
        payload: dict[str, Any],
        *,
        basis: Any,
        issued_to: str,
        ttl: float = DEFAULT_TTL,
        now: float | None = None,
    ) -> str:
        moment = time.time() if now is None else now
        code = secrets.token_urlsafe(16)
        with self.backend.transaction() as tx:
            tx.execute("DELETE FROM confirm_previews WHERE expires_at < ?", [moment - 86400])
            tx.execute(
                "INSERT INTO confirm_previews (code, kind, subject, payload, basis, issued_to, issued_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    code,
                    kind,
                    subject,
                    json.dumps(payload, ensure_ascii=False),
                    json.dumps(basis, ensure_ascii=False),
                    issued_to,
                    moment,
                    moment + ttl,
                ],
            )
        return code

    def use(self, code: str, *, by: str, now: float | None = None) -> Used:
        """Take the preview ``code`` for ``by``; at most one caller ever gets it."""
        moment = time.time() if now is None else now
        with self.backend.transaction() as tx:
            row = tx.one(
                "UPDATE confirm_previews SET used_at = ?, used_by = ?"
                " WHERE code = ? AND used_at IS NULL AND expires_at > ? AND issued_to = ?"
                " RETURNING code, kind, subject, payload, basis, issued_to",
                [moment, by, code, moment, by],
            )
            if row is None:
                known = tx.one(
                    "SELECT used_at, expires_at, issued_to FROM confirm_previews WHERE code = ?", [code]
                )
        if row is not None:
            return Used(
                Preview(
                    code=row["code"],
                    kind=row["kind"],
                    subject=row["subject"],
                    payload=json.loads(row["payload"]),
                    basis=json.loads(row["basis"]) if row["basis"] is not None else None,
                    issued_to=row["issued_to"],
                )
            )
        if known is None:
            return Used(None, "unknown")
        if known["used_at"] is not None:
            return Used(None, "used")
        if known["issued_to"] != by:
            return Used(None, "other_user")
        return Used(None, "expired")
