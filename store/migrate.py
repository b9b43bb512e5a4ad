"""Versioned schema migrations: numbered SQL files per backend, applied in order, each exactly once.

``store/migrations/<dialect>/NNNN_name.sql`` holds plain SQL statements separated by ``;`` at the end
of a line. ``schema_migrations`` records which versions a database has; :func:`migrate` applies the
missing ones, each in its own transaction together with its record. Two processes migrating at once
are serialized (SQLite's ``BEGIN IMMEDIATE``; a transaction-scoped advisory lock on PostgreSQL), so
two replicas starting together apply each migration once.

Why not Alembic: it needs SQLAlchemy models or hand-written ``op.*`` calls, and both backends still need
their own DDL for identity columns and types; a dozen lines of runner over SQL files is less to read.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from store.backend import Backend, Tx

log = logging.getLogger("strategy_bot.store")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_KEY = 72_106_913  # pg_advisory_xact_lock key for migrations of this app
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def statements(self) -> list[str]:
        text = "\n".join(
            line for line in self.path.read_text(encoding="utf-8").splitlines() if not line.startswith("--")
        )
        return [s.strip() for s in re.split(r";\s*$", text, flags=re.MULTILINE) if s.strip()]


def available(dialect: str) -> list[Migration]:
    out = []
    for path in sorted((MIGRATIONS / dialect).glob("*.sql")):
        m = _NAME.match(path.name)
        if m is None:
            raise ValueError(f"migration file name not NNNN_name.sql: {path.name}")
        out.append(Migration(int(m.group(1)), m.group(2), path))
    versions = [m.version for m in out]
    if versions != list(range(1, len(out) + 1)):
        raise ValueError(f"{dialect} migrations are not numbered 1…n: {versions}")
    return out


def _ensure_table(tx: Tx) -> None:
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL)"
    )


def applied(backend: Backend) -> list[int]:
    with backend.transaction() as tx:
        _ensure_table(tx)
        return [r["version"] for r in tx.execute("SELECT version FROM schema_migrations ORDER BY version")]


def migrate(backend: Backend) -> list[int]:
    """Apply every migration the database lacks; return the versions applied now."""
    done: list[int] = []
    for migration in available(backend.dialect):
        with backend.transaction() as tx:
            if backend.dialect == "postgresql":
                tx.execute("SELECT pg_advisory_xact_lock(?)", [_LOCK_KEY])
            _ensure_table(tx)
            if tx.one("SELECT 1 AS x FROM schema_migrations WHERE version = ?", [migration.version]):
                continue
            for statement in migration.statements():
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [migration.version, migration.name, time.time()],
            )
        done.append(migration.version)
        log.info("store: applied migration %04d_%s", migration.version, migration.name)
    return done
