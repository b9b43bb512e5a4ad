"""Worker threads that answer the LINE inbox: claim an event, handle it, mark it done.

Every worker claims one event at a time from the durable inbox (``store.inbox``) under a lease that a
heartbeat thread renews while the worker is busy; an event is marked done only once its reply was sent
(or could not be: the outcome says why). So a server killed at any moment loses nothing: what it had
acknowledged is still pending in the database, and the next server (or another replica) takes it up —
at once for the claims of a dead process on this machine (:func:`dead_local_claimers`), after the lease
for others. A reply sent just before the crash may be attempted again; LINE's reply tokens are single-use,
so the user still gets one reply.

The webhook wakes the workers after each accepted delivery; they also look every ``POLL_SECONDS`` for
work others left (another replica's accepted events, expired leases). No child processes: a kill -9 of
the server leaves nothing behind. ``strategy-bot worker`` runs the same pool in a process of its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from store import StoreUnavailable
from store.inbox import MAX_ATTEMPTS, Inbox, InboxEvent

log = logging.getLogger("strategy_bot.workers")

THREADS = 8  # the CPU work is serialized by the handler; the calls to LINE overlap
LEASE_SECONDS = 30.0
POLL_SECONDS = 1.0
PURGE_EVERY_SECONDS = 600.0

Handle = Callable[[InboxEvent], str]


def worker_name() -> str:
    """``host:pid:random``: unique per process, and tells a later process on this host who is dead."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dead_local_claimers(claimers: list[str], me: str) -> list[str]:
    """Claimers that were processes on this host and are gone (or an earlier process with our pid)."""
    host, pid, _ = me.split(":")
    dead = []
    for name in claimers:
        parts = name.split(":")
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit() or name == me:
            continue
        if parts[1] == pid or not _alive(int(parts[1])):
            dead.append(name)
    return dead


class InboxWorkers:
    def __init__(self, inbox: Inbox, handle: Handle, *, threads: int = THREADS, name: str | None = None):
        self.inbox = inbox
        self.handle = handle
        self.name = name or worker_name()
        self._threads_wanted = threads
        self._threads: list[threading.Thread] = []
        self._wake = threading.Condition()
        self._signals = 0
        self._stop = threading.Event()
        self._busy: dict[int, float] = {}  # inbox id -> since
        self._busy_lock = threading.Lock()
        self._last_purge = 0.0
        self._started = False
        self._start_lock = threading.Lock()

    # --- lifecycle ---

    def ensure_started(self) -> None:
        """Start the threads unless they run already (or were stopped)."""
        with self._start_lock:
            if self._started or self._stop.is_set():
                return
            self._started = True
        self._start()

    def _start(self) -> None:
        with contextlib.suppress(StoreUnavailable):
            dead = dead_local_claimers(self.inbox.claimers(), self.name)
            if dead:
                n = self.inbox.release(dead)
                log.info("LINE inbox: %d event(s) of %d dead process(es) taken back", n, len(dead))
        for i in range(self._threads_wanted):
            t = threading.Thread(target=self._run, name=f"line-worker-{i}", daemon=True)
            t.start()
            self._threads.append(t)
        beat = threading.Thread(target=self._heartbeat, name="line-worker-heartbeat", daemon=True)
        beat.start()
        self._threads.append(beat)
        log.info("LINE inbox: %d worker thread(s) started (%s)", self._threads_wanted, self.name)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the events in hand, then stop; what is left stays pending for the next start."""
        self._stop.set()
        self.wake(len(self._threads))
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self._threads.clear()

    def wake(self, n: int = 1) -> None:
        """New events were accepted: let ``n`` idle workers look."""
        with self._wake:
            self._signals += n
            self._wake.notify(n)

    @property
    def busy(self) -> int:
        with self._busy_lock:
            return len(self._busy)

    # --- the loops ---

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                item = self.inbox.claim(self.name, lease=LEASE_SECONDS)
            except StoreUnavailable as exc:
                log.warning("LINE inbox unavailable (%s): retrying", exc)
                self._idle(POLL_SECONDS * 2)
                continue
            except Exception:
                log.exception("LINE inbox: claim failed")
                self._idle(POLL_SECONDS)
                continue
            if item is None:
                self._idle(POLL_SECONDS)
                continue
            self.wake()  # there may be more: let another idle worker look
            self._work(item)

    def _work(self, item: InboxEvent) -> None:
        with self._busy_lock:
            self._busy[item.id] = time.monotonic()
        try:
            if item.attempts > MAX_ATTEMPTS:
                outcome = "error:too_many_attempts"
                log.error("LINE inbox event %s given up after %d attempts", item.id, item.attempts - 1)
            else:
                outcome = self.handle(item)
            self._finish(item, outcome)
        finally:
            with self._busy_lock:
                self._busy.pop(item.id, None)

    def _finish(self, item: InboxEvent, outcome: str) -> None:
        for attempt in range(20):
            try:
                if not self.inbox.finish(item.id, self.name, outcome):
                    log.warning("LINE inbox event %s: lease lost before it was marked done", item.id)
                return
            except StoreUnavailable:
                if self._stop.wait(min(5.0, 0.2 * 2**attempt)):
                    return  # stays pending: handled again after the lease (LINE refuses a 2nd reply)

    def _idle(self, seconds: float) -> None:
        with self._wake:
            if self._signals == 0 and not self._stop.is_set():
                self._wake.wait(seconds)
            if self._signals > 0:
                self._signals -= 1

    def _heartbeat(self) -> None:
        while not self._stop.wait(LEASE_SECONDS / 3):
            with self._busy_lock:
                ids = list(self._busy)
            try:
                self.inbox.renew(self.name, ids, lease=LEASE_SECONDS)
                now = time.monotonic()
                if now - self._last_purge > PURGE_EVERY_SECONDS:
                    self._last_purge = now
                    self.inbox.purge()
            except StoreUnavailable as exc:
                log.warning("LINE inbox heartbeat: database unavailable (%s)", exc)
            except Exception:
                log.exception("LINE inbox heartbeat failed")
