"""The one outbound boundary to the LINE Messaging API: reply and push.

Callers hand over plain LINE message dicts (see ``bot.line.render``; checked against
``bot.line.limits``). They are posted as JSON with a plain HTTP client (urllib3, a keep-alive pool):
the SDK's generated methods validate and serialize every request through its pydantic.v1 models, about
35 ms of CPU for a carousel of ten KPI bubbles, 20-30 times the cost of answering the question, and
skipping that meant calling their private undecorated functions. The tests still round-trip every kind
of message through the SDK's models. The JSON is ASCII (``\\u`` escapes), so no text can fail to encode.

Transient failures (5xx, 429, connection errors) are retried with exponential backoff: a reply only
within its reply token's lifetime, a push with the same ``X-Line-Retry-Key`` on every attempt so LINE
delivers it at most once. Client errors (4xx) are logged with LINE's error description and never with
the message text. Nothing here raises to the caller.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import urllib3
from pydantic import BaseModel

from bot.config import Settings
from bot.line.limits import check_messages

log = logging.getLogger("strategy_bot.line.api")

REPLY_WINDOW_SECONDS = 30.0  # reply tokens expire about a minute after the event; stay well inside
REQUEST_TIMEOUT = urllib3.Timeout(connect=3.0, read=10.0)
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"


class SendResult(BaseModel):
    """What happened to one reply or push."""

    ok: bool
    status: int | None = None  # HTTP status of the last attempt (None: no response)
    attempts: int = 0
    request_id: str | None = None  # x-line-request-id (or the accepted one for a duplicate push)
    duplicate: bool = False  # push: LINE had already accepted this retry key (409)
    error: str | None = None  # LINE's error description or the exception type; never message text

    INVALID: ClassVar[str] = "invalid messages"  # refused before sending: outside LINE's limits or schema


def _is_transient(status: int | None) -> bool:
    return status is None or status == 429 or status >= 500


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == name:
            return str(value)
    return None


def _line_error(status: int, data: bytes) -> str:
    """LINE's own error description (its JSON ``message`` and the properties it names)."""
    try:
        body = json.loads(data or b"{}")
    except (ValueError, TypeError):
        return f"HTTP {status}"
    if not isinstance(body, dict):
        return f"HTTP {status}"
    parts = [str(body.get("message", ""))[:200]]
    for d in (body.get("details") or [])[:5]:
        if isinstance(d, dict):
            parts.append(f"{d.get('property', '?')}: {str(d.get('message', ''))[:100]}")
    return "; ".join(p for p in parts if p) or f"HTTP {status}"


class LineSender:
    """Reply and push over HTTP, with retries. Thread-safe; one per process."""

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        reply_window: float = REPLY_WINDOW_SECONDS,
        backoff: float = 0.25,
        max_backoff: float = 8.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._base = base_url.rstrip("/")
        # no urllib3 retries: ours below know about reply-token lifetimes and retry keys
        self._http = urllib3.PoolManager(
            maxsize=16,  # the inbox workers and the reminder scheduler share it
            retries=False,
            timeout=REQUEST_TIMEOUT,
            headers={
                "Authorization": f"Bearer {access_token}",
                "Content-Type": "application/json",
                "User-Agent": "kumamoto-strategy-bot",
            },
        )
        self.reply_window = reply_window
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> LineSender:
        if settings.line_channel_access_token is None:
            raise ValueError("LINE_CHANNEL_ACCESS_TOKEN is not set")
        return cls(
            settings.line_api_base_url, settings.line_channel_access_token.get_secret_value(), **kwargs
        )

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._http.clear()

    # --- public API ------------------------------------------------------------------------------

    def reply(
        self, reply_token: str, messages: Sequence[dict[str, Any]], *, received_at: float | None = None
    ) -> SendResult:
        """Reply to an event; 5xx/429 are retried while the reply token lives (from ``received_at``)."""
        body = {"replyToken": reply_token, "messages": list(messages), "notificationDisabled": False}
        call = self._call("reply", REPLY_PATH, body, {})
        if call is None:
            return SendResult(ok=False, error=SendResult.INVALID)
        start = received_at if received_at is not None else self._clock()
        return self._send("reply", call, deadline=start + self.reply_window, max_attempts=8)

    def push(
        self,
        to: str,
        messages: Sequence[dict[str, Any]],
        retry_key: str | uuid.UUID,
        *,
        attempts: int = 4,
        notification_disabled: bool = False,
    ) -> SendResult:
        """Push to a user/group id; every attempt carries ``retry_key`` as ``X-Line-Retry-Key``.

        A 409 answer means LINE already accepted a request with this key: it counts as delivered.
        Use one retry key per logical message (e.g. ``uuid5`` of meeting, offset and recipient).
        """
        key = str(uuid.UUID(str(retry_key)))
        body = {"to": to, "messages": list(messages), "notificationDisabled": notification_disabled}
        call = self._call("push", PUSH_PATH, body, {"X-Line-Retry-Key": key})
        if call is None:
            return SendResult(ok=False, error=SendResult.INVALID)
        return self._send("push", call, deadline=None, max_attempts=max(1, attempts))

    def _call(
        self, what: str, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> Callable[[], urllib3.BaseHTTPResponse] | None:
        """One attempt at the API call, ready to repeat; None when the messages would be refused."""
        problems = check_messages(body["messages"])
        if problems:
            log.error("LINE %s not sent: outside LINE's limits (%s)", what, "; ".join(problems[:3]))
            return None
        data = json.dumps(body, separators=(",", ":")).encode("ascii")
        url = self._base + path
        return lambda: self._http.request("POST", url, body=data, headers={**self._http.headers, **headers})

    # --- retry loop ------------------------------------------------------------------------------

    def _send(
        self, what: str, call: Callable[[], Any], *, deadline: float | None, max_attempts: int
    ) -> SendResult:
        attempt = 0
        while True:
            attempt += 1
            status: int | None
            retry_after: float | None = None
            try:
                response = call()
            except (urllib3.exceptions.HTTPError, OSError) as exc:  # no answer: refused, reset, timeout
                status, error = None, type(exc).__name__
            except Exception as exc:  # a bug on our side: never retried, never raised
                log.error("LINE %s failed: %s", what, type(exc).__name__)
                return SendResult(ok=False, attempts=attempt, error=type(exc).__name__)
            else:
                status = response.status
                if 200 <= status < 300:
                    request_id = _header(response.headers, "x-line-request-id")
                    return SendResult(ok=True, status=status, attempts=attempt, request_id=request_id)
                error = _line_error(status, response.data)
                if what == "push" and status == 409:
                    accepted = _header(response.headers, "x-line-accepted-request-id")
                    log.info("LINE push already accepted for this retry key (request %s)", accepted)
                    return SendResult(
                        ok=True, status=409, attempts=attempt, request_id=accepted, duplicate=True
                    )
                if status == 429:
                    retry_after = _retry_after(response.headers)
            if not _is_transient(status):
                # a reply's failure is reported once, as a lost reply, by its caller (bot.line.handling)
                log.log(_level(what), "LINE %s refused: HTTP %s: %s", what, status, error)
                return SendResult(ok=False, status=status, attempts=attempt, error=error)
            delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1)) * (0.75 + random.random() / 2)
            if retry_after is not None:
                delay = max(delay, retry_after)
            out_of_time = deadline is not None and self._clock() + delay >= deadline
            if attempt >= max_attempts or out_of_time:
                message = "LINE %s failed after %d attempts: HTTP %s: %s"
                log.log(_level(what), message, what, attempt, status, error)
                return SendResult(ok=False, status=status, attempts=attempt, error=error)
            log.info("LINE %s: HTTP %s, retrying in %.2fs (attempt %d)", what, status, delay, attempt)
            self._sleep(delay)


def _level(what: str) -> int:
    return logging.INFO if what == "reply" else logging.WARNING


def _retry_after(headers: Any) -> float | None:
    value = _header(headers, "retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
