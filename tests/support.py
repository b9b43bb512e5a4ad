"""Test support shared by the channel tests: our real ASGI server, run by uvicorn in a thread, and the
base of the fake platform APIs (LINE, Slack) that the real SDK clients talk to over HTTP."""

from __future__ import annotations

import bisect
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import uvicorn


class ServerThread:
    """uvicorn serving ``app`` on a free loopback port, in a thread."""

    def __init__(self, app: Any):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


# --- fake platform APIs --------------------------------------------------------------------------


@dataclass
class Recorded:
    """One request a fake API received; ``body`` is decoded by the fake's ``decode``."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: Any
    at: float = field(default_factory=time.monotonic)
    seq: int = 0  # the order of arrival (the fake's requests are kept in this order)


@dataclass
class Failure:
    """What a fake answers instead of its normal answer, once, for a path (see ``FakeApi.fail``)."""

    status: int
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    accept: bool = False  # process the request, then answer with the failure (a lost answer)
    drop: bool = False  # process the request, then close the connection without answering


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeApi:
    """A keep-alive HTTP/1.1 server on 127.0.0.1, in a thread, that records every request under a
    condition (``lock``), answers through ``respond`` and can be told to fail (``fail``).

    Subclasses define what the platform answers (``respond``) and, where the platform differs, how
    bodies are read (``decode``) and which headers go with every answer (``response_headers``).
    Attributes a subclass's ``respond`` uses must be set before calling ``super().__init__()``."""

    verbs: tuple[str, ...] = ("POST", "GET")  # other verbs get http.server's 501
    record_on_arrival = False  # record before answering (else once the answer is written)
    record_type: type[Recorded] = Recorded
    # what stamps ``Recorded.at`` on arrival; a test that runs its code on virtual time sets it too
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._failures: dict[str, list[Failure]] = {}
        self._in_flight = 0  # requests arrived and not yet answered and recorded
        self._arrived = 0
        self.lock = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # --- what a platform defines ---

    def respond(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        """Status, payload (JSON-able, or ``str`` for a text/plain answer) and extra headers."""
        raise NotImplementedError

    def decode(self, method: str, query: str, content_type: str, raw: bytes) -> Any:
        """Query parameters for GET; otherwise JSON if the content type says so, else form fields."""
        if method == "GET":
            return {k: v[0] for k, v in parse_qs(query).items()}
        if "json" in content_type:
            return json.loads(raw or b"null")
        return {k: v[0] for k, v in parse_qs(raw.decode()).items()}

    def response_headers(self) -> dict[str, str]:
        """Headers sent with every answer, failures included, before the answer's own."""
        return {}

    # --- the machinery ---

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        for verb in self.verbs:
            setattr(Handler, f"do_{verb}", lambda handler, verb=verb: fake._counted(handler, verb))
        return Handler

    def _counted(self, handler: BaseHTTPRequestHandler, verb: str) -> None:
        with self.lock:
            self._in_flight += 1
        try:
            self._handle(handler, verb)
        finally:
            with self.lock:
                self._in_flight -= 1
                self.lock.notify_all()

    def _handle(self, handler: BaseHTTPRequestHandler, verb: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = self.decode(verb, parts.query, handler.headers.get("Content-Type") or "", raw)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self.lock:
            self._arrived += 1
            seq = self._arrived
        rec = self.record_type(verb, parts.path, headers, body, at=self.clock(), seq=seq)
        if self.record_on_arrival:
            # recorded before answering, so a client that got its answer finds its request recorded
            self._record(rec)
        failure = self._next_failure(parts.path)
        if failure is not None and failure.delay:
            time.sleep(failure.delay)
        if failure is None or failure.accept or failure.drop:
            status, payload, extra = self.respond(rec)
        if failure is not None and failure.drop:
            if not self.record_on_arrival:
                self._record(rec)
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if failure is not None:
            status, payload, extra = failure.status, failure.body, failure.headers
        text = isinstance(payload, str)
        data = payload.encode() if text else json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain" if text else "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for k, v in self.response_headers().items():
            handler.send_header(k, v)
        for k, v in extra.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)
        if not self.record_on_arrival:
            self._record(rec)

    def _record(self, rec: Recorded) -> None:
        # in the order of arrival: a request recorded once answered may be recorded after the next
        # one (a client that opens a connection per request sends it as soon as it has the answer)
        with self.lock:
            bisect.insort(self.requests, rec, key=lambda r: r.seq)
            self.lock.notify_all()

    def _next_failure(self, path: str) -> Failure | None:
        with self.lock:
            queue = self._failures.get(path)
            return queue.pop(0) if queue else None

    def fail(self, path: str, *failures: Failure) -> None:
        """Answer the next requests to ``path`` with ``failures``, one each, in order."""
        with self.lock:
            self._failures.setdefault(path, []).extend(failures)

    def matching(self, predicate: Callable[[Any], bool]) -> list[Any]:
        with self.lock:
            return [r for r in self.requests if predicate(r)]

    def wait_until(
        self, predicate: Callable[[Any], bool], count: int, timeout: float, message: Callable[[], str]
    ) -> list[Any]:
        """Block until ``count`` recorded requests satisfy ``predicate``; return them. On timeout,
        fail with ``message()`` (called under the lock)."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                found = [r for r in self.requests if predicate(r)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(message())
                self.lock.wait(left)

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Block until every request that has arrived is answered and recorded. A client that has
        had its answer may otherwise look a moment before the fake has recorded its request."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the fake still has {self._in_flight} request(s) in hand")
                self.lock.wait(left)

    def reset(self) -> None:
        # first let the requests in hand be recorded: one answered at the end of the last test could
        # otherwise be recorded after the reset, as if the next test had sent it (its client had its
        # answer before the fake recorded it)
        self.wait_idle()
        with self.lock:
            self.requests.clear()
            self._failures.clear()
            self.clock = time.monotonic

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
