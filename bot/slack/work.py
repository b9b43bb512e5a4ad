"""The work the Slack app does after it has acknowledged a request, and how much of it is under way.

Bolt hands every listener's work to ``listener_executor``; :class:`WorkPool` is that executor, a
thread pool that also counts the work it was given and has not finished (``pending``). A request's
work is handed over before its acknowledgement goes back to Slack, so once a caller has Slack's
response and ``pending`` is 0, everything that request was going to do has been done: ``GET /healthz``
reports the figure (``slack_work_pending``), which is how an operator sees a backlog and how a test
knows that nothing more is coming.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class WorkPool(ThreadPoolExecutor):
    """A ``ThreadPoolExecutor`` that knows how many of its tasks have not finished yet."""

    def __init__(self, max_workers: int, thread_name_prefix: str = "") -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._pending = 0
        self._count_lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Tasks submitted and not yet finished (queued or running)."""
        with self._count_lock:
            return self._pending

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._count_lock:
            self._pending += 1

        def counted() -> T:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._count_lock:
                    self._pending -= 1

        try:
            return super().submit(counted)
        except BaseException:  # shut down: the task will never run
            with self._count_lock:
                self._pending -= 1
            raise
