"""Expired run-time state is deleted in the background: conversations past their TTL
(``store.conversations``) and Slack event ids past their keep window (``store.once``).

Expired rows are already invisible to readers; without the sweep they would stay in the tables for
good (every new web session adds a conversation). The server runs one sweeper thread: it sweeps at
start-up and then every ``SWEEP_EVERY_SECONDS``. The deletes are idempotent, so replicas sweeping
side by side are harmless.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bot.context import AppContext
from store import Store

log = logging.getLogger("strategy_bot.store")

SWEEP_EVERY_SECONDS = 600.0


class StoreSweeper:
    def __init__(self, store: Callable[[], Store], *, every: float = SWEEP_EVERY_SECONDS):
        self._store = store
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep_once(self) -> int:
        """Delete what has expired now; return how many conversations went. Never raises."""
        try:
            store = self._store()
            swept = store.conversations.sweep()
            store.once.purge()
        except Exception as exc:  # a database that is away now is swept next time
            log.warning("store sweep failed (%s); trying again later", type(exc).__name__)
            return 0
        if swept:
            log.info("store sweep: %d expired conversation(s) deleted", swept)
        return swept

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="store-sweeper", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sweep_once()
            self._stop.wait(self.every)


def install(ctx: AppContext) -> StoreSweeper:
    """Sweep the app's store while the app runs (stopped before the store is closed)."""
    sweeper = StoreSweeper(ctx.store)
    ctx.on_startup.append(sweeper.start)
    ctx.on_shutdown.append(sweeper.stop)
    return sweeper
