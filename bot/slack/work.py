"""The work the Slack app does after it has acknowledged a request, and how much of it is under way.

Each listener is an acknowledgement (``ack_at_once``, or the meeting form's check) and its work
(:func:`lazy`): Bolt (``process_before_response=True``) runs the acknowledgement in the request's own
thread, hands the work to ``listener_executor`` and only then answers Slack. So an acknowledgement
never waits for a free worker, nor for Bolt's 10 ms polling of ``ack()`` (``while ack.response is
None: time.sleep(0.01)`` in ``slack_bolt/listener/thread_runner.py``, the path of
``process_before_response=False``, where ``ack()`` runs in a worker thread).

:class:`WorkPool` is that executor, a thread pool that also counts the work it was given and has not
finished (``pending``). Since a request's work is handed over before its acknowledgement goes back,
once a caller has Slack's response and ``pending`` is 0, everything that request was going to do has
been done: ``GET /healthz`` reports the figure (``slack_work_pending``), which is how an operator sees
a backlog and how a test knows that nothing more is coming.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

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


def ack_at_once(ack: Any) -> None:
    """The acknowledgement of every listener but the meeting form's: at once, with nothing in it."""
    ack()


def lazy(
    work: Callable[..., None], *, on_error: Callable[[Exception, dict[str, Any], Any], None]
) -> Callable[..., None]:
    """``work`` as a Bolt lazy listener: called with the arguments it names (``body``, ``event``,
    ``view``, ``respond``, ``client``, ``context``: a copy of the acknowledged request's). A failure
    goes to ``on_error`` as a listener's would (Bolt itself would only log it)."""
    names = list(inspect.signature(work).parameters)

    def run(body: dict[str, Any], respond: Any, client: Any, context: Any) -> None:
        given = {
            "body": body,
            "event": body.get("event"),
            "view": body.get("view"),
            "respond": respond,
            "client": client,
            "context": context,
        }
        try:
            work(**{name: given[name] for name in names})
        except Exception as error:
            on_error(error, body, respond)

    run.__name__ = run.__qualname__ = getattr(work, "__name__", "work")
    return run
