"""Answering LINE questions and sending replies, in a process of its own.

Profiling the webhook under load (``benchmarks/webhook_load.py --profile``) showed where the time goes:
about half of it in the LINE SDK and urllib3 sending the reply, a third in the answer pipeline, both
CPU-bound Python. Run in threads of the web server, that work competes with uvicorn's event loop for
the GIL, and the acknowledgements LINE waits for slowed down by a factor of two to five. So the web
server only verifies, acknowledges, deduplicates and runs the cheap text hooks; the answering and the
calls to LINE happen here, in a child process (``spawn``: no threads or locks inherited) with its own
database connection, ``Answerer`` and ``LineSender``, and a few threads so that slow calls to LINE
overlap. Its log records are forwarded to the parent's logging.

If the child is not running (it failed to start, or died), :class:`AnswerProcess` says so and the
webhook answers in its own threads instead, with the same functions; a dead child is restarted at most
once a minute.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.charts.links import chart_links
from bot.config import Settings
from bot.line import limits as L
from bot.line import render as R
from bot.line import texts as T
from bot.line.api import LineSender, SendResult
from handlers.reply import Query

log = logging.getLogger("strategy_bot.line")

THREADS = 8  # in the child: calls to LINE overlap, answering is serialized
RESTART_EVERY_SECONDS = 60.0
CHILD_NICENESS = 10  # lower CPU priority than the web server's event loop
MAX_QUESTION_CHARS = 2000  # longer messages get a polite "please ask briefly"

Messages = list[dict[str, Any]]


# --- the work itself (used by the child, and by the webhook when there is no child) --------------


def answer_messages(
    answerer: Any, question: str, user_hash: str | None, public_base_url: str | None = None
) -> Messages:
    """The LINE messages answering ``question``; never raises (a failure gives a polite error).
    With an https ``public_base_url`` KPI bubbles show their chart."""
    started = time.perf_counter()
    if L.line_length(question) > MAX_QUESTION_CHARS:
        log.info("LINE question from %s too long (%d chars)", user_hash, len(question))
        return R.too_long_messages(MAX_QUESTION_CHARS)
    try:
        reply = answerer.answer(Query(text=question, channel="line", user_hash=user_hash))
        messages = R.render_reply(reply, chart_links(public_base_url, answerer.db))
    except Exception as exc:
        log.error("LINE answer failed: %s", type(exc).__name__, exc_info=exc)  # no user hash beside it
        return R.simple_messages(T.INTERNAL_ERROR)
    log.info(
        "LINE answer for %s: kind=%s answered=%s in %.1f ms",
        user_hash,
        reply.kind,
        reply.answered,
        (time.perf_counter() - started) * 1000,
    )
    return messages


def send_reply(
    sender: LineSender, reply_token: str, messages: Messages, user_hash: str | None, received_at: float
) -> SendResult:
    """Reply with ``messages``; if they would be refused (a rendering bug), reply a polite error."""
    result = sender.reply(reply_token, messages, received_at=received_at)
    if result.error == SendResult.INVALID:
        result = sender.reply(reply_token, R.simple_messages(T.INTERNAL_ERROR), received_at=received_at)
    if not result.ok:
        log.warning(
            "LINE reply to %s not delivered: HTTP %s after %d attempt(s)",
            user_hash,
            result.status,
            result.attempts,
        )
    return result


# --- the parent's handle on the child ------------------------------------------------------------


class AnswerProcess:
    """Hands questions and replies to the child process. Thread-safe."""

    def __init__(self, settings: Settings, *, threads: int = THREADS):
        if settings.line_channel_access_token is None:
            raise ValueError("LINE_CHANNEL_ACCESS_TOKEN is not set")
        self._config = {
            "db_path": str(settings.db_path),
            "contact_text": settings.contact_text,
            "api_base_url": settings.line_api_base_url,
            "public_base_url": settings.public_base_url,
            "access_token": settings.line_channel_access_token.get_secret_value(),
            "threads": threads,
        }
        self._mp = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: Any = None
        self._jobs: Any = None
        self._logs: Any = None
        self._forwarder: threading.Thread | None = None
        self._started_at = 0.0
        self._closed = False

    def start(self) -> None:
        with self._lock:
            self._start_locked()

    def _start_locked(self) -> None:
        self._started_at = time.monotonic()
        self._jobs = self._mp.Queue()
        self._logs = self._mp.Queue()
        level = min(logging.getLogger("strategy_bot").getEffectiveLevel(), logging.INFO)
        self._process = self._mp.Process(
            target=_child_main,
            args=(self._config, self._jobs, self._logs, level),
            name="line-answers",
            daemon=True,
        )
        try:
            self._process.start()
        except Exception as exc:
            log.error(
                "LINE answer process could not start (%s): answering in the web server", type(exc).__name__
            )
            self._process = None
            return
        self._forwarder = threading.Thread(
            target=_forward_logs, args=(self._logs,), name="line-answers-logs", daemon=True
        )
        self._forwarder.start()
        log.info("LINE answer process started (pid %s)", self._process.pid)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def _ready(self) -> bool:
        """Whether jobs can go to the child; restarts a dead child at most once a minute."""
        if self._closed:
            return False
        if self.running:
            return True
        with self._lock:
            if self.running:
                return True
            if self._started_at and time.monotonic() - self._started_at < RESTART_EVERY_SECONDS:
                return False
            if self._started_at:  # it ran before (a server without lifespan starts it on first use)
                code = self._process.exitcode if self._process is not None else None
                log.error("LINE answer process is not running (exit code %s): restarting it", code)
            self._start_locked()
            return self.running

    def answer(self, reply_token: str, question: str, user_hash: str | None, received_at: float) -> bool:
        """Queue a question to be answered and replied to; False when the child cannot take it."""
        return self._put(("answer", reply_token, question, user_hash, received_at))

    def send(self, reply_token: str, messages: Messages, user_hash: str | None, received_at: float) -> bool:
        """Queue ready messages to be sent as a reply; False when the child cannot take it."""
        return self._put(("send", reply_token, messages, user_hash, received_at))

    def _put(self, job: tuple[Any, ...]) -> bool:
        if not self._ready():
            return False
        self._jobs.put(job)
        return True

    def close(self, timeout: float = 30.0) -> None:
        """Let the child finish what it was given, then stop it."""
        with self._lock:
            self._closed = True
            process, jobs, logs, forwarder = self._process, self._jobs, self._logs, self._forwarder
            self._process = self._jobs = self._logs = self._forwarder = None
        if process is None:
            return
        if process.is_alive():
            jobs.put(None)
            process.join(timeout)
            if process.is_alive():
                log.warning("LINE answer process did not stop in %.0f s: terminated", timeout)
                process.terminate()
                process.join(5)
        logs.put(None)
        if forwarder is not None:
            forwarder.join(5)
        for queue in (jobs, logs):
            queue.close()
            queue.join_thread()


def _forward_logs(logs: Any) -> None:
    """Re-emit the child's log records through the parent's loggers."""
    while True:
        try:
            record = logs.get()
        except (EOFError, OSError):
            return
        if record is None:
            return
        logging.getLogger(record.name).handle(record)


# --- the child -----------------------------------------------------------------------------------


def _child_main(config: dict[str, Any], jobs: Any, logs: Any, level: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the process group: the parent decides
    with contextlib.suppress(OSError, AttributeError):
        os.nice(CHILD_NICENESS)  # acknowledging webhooks comes first; answers use the CPU left over
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(logs)]
    root.setLevel(level)
    from handlers.dispatch import Answerer
    from strategy_data.database import connect

    db = connect(config["db_path"])
    answerer = Answerer(db, contact=config["contact_text"])
    sender = LineSender(config["api_base_url"], config["access_token"])
    answer_lock = threading.Lock()  # one SQLite connection and one pipeline: one answer at a time

    def run(job: tuple[Any, ...]) -> None:
        try:
            kind, reply_token, payload, user_hash, received_at = job
            if kind == "answer":
                with answer_lock:
                    messages = answer_messages(answerer, payload, user_hash, config.get("public_base_url"))
            else:
                messages = payload
            send_reply(sender, reply_token, messages, user_hash, received_at)
        except Exception:
            log.exception("LINE answer process: a job failed")

    pool = ThreadPoolExecutor(max_workers=config["threads"], thread_name_prefix="line-answer")
    try:
        while True:
            job = jobs.get()
            if job is None:
                break
            pool.submit(run, job)
    finally:
        pool.shutdown(wait=True)
        sender.close()
        db.close()
