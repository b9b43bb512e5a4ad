"""Where the run-time state of a curated database lives: the store's backend, or the file itself.

The curated strategy data is a read-only SQLite file per replica; what staff and users change (KPI
actuals and their audit log, staff meetings, subscriptions and member links) lives in the store:
PostgreSQL with ``DATABASE_URL``, else the same SQLite file. Code that reads or writes that state
takes the curated database as before and asks :func:`state_of` for the backend, so one call site
serves both: a database opened by the bot (``connect(path, state=…)``) carries its store; a plain
database (tests, tools) keeps its state in its own file.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from store.backend import Backend, SqliteConnBackend

StateSource = Callable[[], Backend]


class Database(sqlite_utils.Database):
    """The curated SQLite database, knowing where its run-time state lives (``state_source``)."""

    state_source: StateSource | None = None


def state_of(db: sqlite_utils.Database) -> Backend:
    """The backend holding ``db``'s run-time state (may raise ``StoreUnavailable`` when it is away)."""
    source = getattr(db, "state_source", None)
    if source is not None:
        return source()
    own = getattr(db, "_own_state", None)
    if own is None or own.conn is not db.conn:
        own = SqliteConnBackend(db.conn)
        db._own_state = own  # type: ignore[attr-defined]
    return own
