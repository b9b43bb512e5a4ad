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
        """A connection for the calling thread (SQLite connections are not shared across threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.db_path)
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
                    url = self.settings.database_url
                    self._store = open_store(url.get_secret_value() if url else self.db_path)
        return self._store

    def close_store(self) -> None:
        with self._store_lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()
