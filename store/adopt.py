"""Staff state of an existing SQLite install, adopted by a new PostgreSQL store once.

Before the store held them, KPI actuals and their audit log, staff meetings, LINE subscriptions,
member invites, reminder deliveries and the unanswered log lived in the SQLite file of each install. A
single box that moves to PostgreSQL (``DATABASE_URL``) brings them along: at its first start,
:func:`adopt_sqlite_state` copies those rows from its SQLite file into the store, in one transaction
with a marker row in ``store_adoptions`` (staff rows with their ids: meeting keys and undo links point
at them; the deliveries too, so a reminder sent before the move is not sent again). The copy happens
once per database, from the first replica that starts with such rows in its file; a table the store
already has rows in is left as it is (logged). Replicas built from the image have none (their file
holds only the curated data), so they never adopt. With the SQLite store nothing is copied: its tables
are the file's own.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from store.backend import Backend

log = logging.getLogger("strategy_bot.store")

# parents first: audit rows point at each other by id, meetings are keyed by id in deliveries
TABLES: dict[str, list[str]] = {
    "kpi_actuals": ["id", "kpi_id", "year", "value", "note", "entered_by", "entered_at"],
    "kpi_audit": [
        "id",
        "kpi_id",
        "year",
        "action",
        "old_value",
        "new_value",
        "old_note",
        "new_note",
        "actor",
        "at",
        "reverted_audit_id",
    ],
    "staff_meetings": [
        "id",
        "number",
        "starts_at",
        "place",
        "agenda",
        "status",
        "created_by",
        "created_at",
        "updated_at",
    ],
    "line_subscriptions": ["user_id", "user_hash", "member_id", "subscribed_at"],
    "member_invites": [
        "id",
        "code_hash",
        "member_id",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "used_by_hash",
        "revoked_at",
    ],
    # their ids are PostgreSQL's own (ALWAYS identities) and nothing points at them: copied without
    "reminder_deliveries": [
        "meeting_key",
        "starts_at",
        "kind",
        "recipient",
        "due_at",
        "status",
        "late",
        "attempts",
        "retry_key",
        "claimed_by",
        "claimed_at",
        "lease_until",
        "finished_at",
        "detail",
    ],
    "unanswered": ["text", "channel", "asked_at"],
}
MARKER = "sqlite-staff-state"


def _local_rows(path: Path) -> dict[str, list[tuple]]:
    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {
            table: conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
            for table, cols in TABLES.items()
            if table in names
        }
    finally:
        conn.close()


def adopt_sqlite_state(backend: Backend, sqlite_path: Path | str) -> dict[str, int]:
    """Copy the staff rows of ``sqlite_path`` into a PostgreSQL store that has none; rows per table."""
    if backend.dialect == "sqlite":
        return {}
    local = {t: rows for t, rows in _local_rows(Path(sqlite_path)).items() if rows}
    if not local:
        return {}
    with backend.transaction() as tx:
        tx.lock(MARKER)
        if tx.one("SELECT name FROM store_adoptions WHERE name = ?", [MARKER]):
            return {}
        held = [t for t in local if tx.one(f"SELECT 1 AS x FROM {t} LIMIT 1")]
        if held:
            log.warning("store: %s already hold rows: not adopting those of %s", ", ".join(held), sqlite_path)
        counts: dict[str, int] = {}
        for table, rows in local.items():
            if table in held:
                continue
            cols = TABLES[table]
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for row in rows:
                tx.execute(sql, list(row))
            if "id" in cols:
                backend.sync_identity(tx, table)
            counts[table] = len(rows)
        tx.execute(
            "INSERT INTO store_adoptions (name, source, rows) VALUES (?, ?, ?)",
            [MARKER, str(sqlite_path), sum(counts.values())],
        )
    log.info("store: adopted staff rows of %s: %s", sqlite_path, counts)
    return counts
