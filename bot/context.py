"""The application context every channel shares: settings, a database connection per thread, the
answer pipeline, and the start-up/shutdown callbacks.

Channel adapters (``bot.line``, ``bot.slack``), the reminders and the web server (``bot.web``) import
this module; it imports none of them, so nothing circles back here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.config import Settings
from store import Store, open_store
from strategy_data.database import connect


class AppContext:
    """What every route needs: settings, a database connection per thread, the answer pipeline."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._local = threading.local()
        self._answerer: Any = None
        self._answerer_lock = threading.Lock()
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        # Callables run at start-up and shutdown (e.g. the reminder scheduler), added by modules.
        self.on_startup: list[Callable[[], Any]] = []
        self.on_shutdown: list[Callable[[], Any]] = []

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    def db(self) -> sqlite_utils.Database:
        """A connection for the calling thread (SQLite connections are not shared across threads) to
        the curated data; its run-time state (KPI actuals, staff meetings, subscriptions) is the
        store's (``strategy_data.state``)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.db_path, state=lambda: self.store().backend)
            self._local.db = db
        return db

    def answerer(self) -> Any:
        """The answer pipeline, built once per process (it loads its index from the database)."""
        if self._answerer is None:
            with self._answerer_lock:
                if self._answerer is None:
                    from handlers.dispatch import Answerer

                    self._answerer = Answerer(
                        self.db(),
                        contact=self.settings.contact_text,
                        memory=self.store().conversations,
                        conversation_ttl=self.settings.conversation_ttl_minutes * 60,
                        unanswered_log=self.store().backend,
                    )
        return self._answerer

    def store(self) -> Store:
        """The store of run-time state (``DATABASE_URL``, else the SQLite file), opened and migrated
        once per process."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = _open_store(self.settings)
        return self._store

    def close_store(self) -> None:
        with self._store_lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


def _open_store(settings: Settings) -> Store:
    """The store of ``settings``: PostgreSQL with ``DATABASE_URL`` (migrated at its first use, so a
    process starts while the database is down; a new one adopts this install's SQLite staff rows),
    else the SQLite file of the curated data."""
    url = settings.database_url
    if url is None:
        return open_store(settings.db_path)
    return open_store(url.get_secret_value(), lazy=True, adopt_from=settings.db_path)


_shared: dict[str, Store] = {}
_shared_lock = threading.Lock()


def shared_store(settings: Settings) -> Store | None:
    """One PostgreSQL store per process for command-line tools and background threads (None without
    ``DATABASE_URL``: their state is the SQLite file's own)."""
    url = settings.database_url
    if url is None:
        return None
    key = url.get_secret_value()
    with _shared_lock:
        if key not in _shared:
            _shared[key] = _open_store(settings)
        return _shared[key]


def open_db(settings: Settings, path: Path | None = None) -> sqlite_utils.Database:
    """The curated database with its run-time state where ``settings`` put it (for the CLI)."""
    store = shared_store(settings)
    return connect(path or settings.db_path, state=(lambda: store.backend) if store is not None else None)
