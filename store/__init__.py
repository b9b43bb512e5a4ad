"""One store for everything the bot changes at run time, on SQLite (default) or PostgreSQL.

``open_store(url_or_path)`` opens the backend (``postgresql://…`` or a SQLite file path), applies the
schema migrations and returns a :class:`Store` with one object per kind of state. Channel code uses
these objects and never writes SQL of its own for the tables they own.
"""

from __future__ import annotations

from pathlib import Path

from store.adopt import adopt_sqlite_state
from store.backend import Backend, StoreUnavailable, open_backend
from store.conversations import Conversations
from store.inbox import Inbox
from store.migrate import migrate
from store.once import Once
from store.previews import Previews

__all__ = ["Store", "StoreUnavailable", "open_store"]


class Store:
    def __init__(self, backend: Backend):
        self.backend = backend
        self.inbox = Inbox(backend)
        self.conversations = Conversations(backend)
        self.once = Once(backend)
        self.previews = Previews(backend)

    @property
    def dialect(self) -> str:
        return self.backend.dialect

    def healthy(self) -> bool:
        return self.backend.ping()

    def close(self) -> None:
        self.backend.close()


def open_store(
    url_or_path: str | Path,
    *,
    migrate_schema: bool = True,
    lazy: bool = False,
    adopt_from: str | Path | None = None,
) -> Store:
    """Open and migrate the store. ``lazy``: migrate at the first transaction instead (and again while
    the database cannot be reached), so a server starts while its database is down and answers 503.
    ``adopt_from``: the install's SQLite file, whose staff rows a new PostgreSQL store adopts once
    (``store/adopt.py``)."""
    backend = open_backend(url_or_path)

    def setup(b: Backend) -> None:
        if migrate_schema:
            migrate(b)
        if adopt_from is not None:
            adopt_sqlite_state(b, adopt_from)

    if lazy:
        backend.defer_setup(setup)
    else:
        setup(backend)
    return Store(backend)
