"""The one outbound boundary to the LINE Messaging API (line-bot-sdk v3 ``MessagingApi``).

Callers hand over plain LINE message dicts (see ``bot.line.render``; checked against
``bot.line.limits``); they are converted to the SDK's models here and nowhere else. Transient
failures (5xx, 429, connection errors) are retried with exponential backoff: a reply only within its
reply token's lifetime, a push with the same ``X-Line-Retry-Key`` on every attempt so LINE delivers
it at most once. Client errors (4xx) are logged with LINE's error description and never with the
message text. Nothing here raises to the caller.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, ClassVar

import urllib3
from pydantic import BaseModel

from bot.config import Settings
from bot.line.limits import check_messages

log = logging.getLogger("strategy_bot.line.api")

REPLY_WINDOW_SECONDS = 30.0  # reply tokens expire about a minute after the event; stay well inside
REQUEST_TIMEOUT = (3.0, 10.0)  # connect, read


# The SDK's generated methods validate their arguments and serialize the request through its pydantic.v1
# models: about 35 ms of CPU for a carousel of ten KPI bubbles and 4 ms for one bubble, 20-30 times the
# cost of answering the question (measured with ``benchmarks/webhook_load.py --profile``). Our messages
# are already JSON dicts checked against LINE's limits (``check_messages``; the tests round-trip every
# kind through the SDK's models), so the generated method is called without its validating decorator,
# with the dict as its body: the same path, headers, auth, timeouts and exceptions.
@functools.cache
def _sdk() -> Any:
    """The SDK, imported on first use: ``linebot.v3.messaging`` loads every generated model (about
    2 s and 50 MB), which a web replica that only accepts webhooks never needs."""
    from linebot.v3 import messaging
    from pydantic.v1 import ValidationError  # the SDK's models are pydantic.v1

    return SimpleNamespace(
        m=messaging,
        ValidationError=ValidationError,
        reply_raw=getattr(messaging.MessagingApi.reply_message_with_http_info, "raw_function", None),
        push_raw=getattr(messaging.MessagingApi.push_message_with_http_info, "raw_function", None),
    )


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


def _line_error(exc: Any) -> str:
    """LINE's own error description (its JSON ``message`` and the properties it names)."""
    try:
        body = json.loads(exc.body or b"{}")
    except (ValueError, TypeError):
        return f"HTTP {exc.status}"
    if not isinstance(body, dict):
        return f"HTTP {exc.status}"
    parts = [str(body.get("message", ""))[:200]]
    for d in (body.get("details") or [])[:5]:
        if isinstance(d, dict):
            parts.append(f"{d.get('property', '?')}: {str(d.get('message', ''))[:100]}")
    return "; ".join(p for p in parts if p) or f"HTTP {exc.status}"


class LineSender:
    """Reply and push through the SDK, with retries. Thread-safe; one per process."""

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
        sdk = _sdk().m
        config = sdk.Configuration(host=base_url.rstrip("/"), access_token=access_token)
        # no urllib3 retries: ours below know about reply-token lifetimes and retry keys
        config.retries = urllib3.Retry(total=0, connect=0, read=0, redirect=0, status=0, other=0)
        config.connection_pool_maxsize = 16  # webhook workers and the reminder scheduler share it
        self._client = sdk.ApiClient(config)
        self._api = sdk.MessagingApi(self._client)
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
                self._client.close()

    # --- public API ------------------------------------------------------------------------------

    def reply(
        self, reply_token: str, messages: Sequence[dict[str, Any]], *, received_at: float | None = None
    ) -> SendResult:
        """Reply to an event; 5xx/429 are retried while the reply token lives (from ``received_at``)."""
        body = {"replyToken": reply_token, "messages": list(messages), "notificationDisabled": False}
        call = self._call(
            "reply",
            _sdk().reply_raw,
            self._api.reply_message_with_http_info,
            _sdk().m.ReplyMessageRequest,
            body,
        )
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
        call = self._call(
            "push",
            _sdk().push_raw,
            self._api.push_message_with_http_info,
            _sdk().m.PushMessageRequest,
            body,
            x_line_retry_key=key,
        )
        if call is None:
            return SendResult(ok=False, error=SendResult.INVALID)
        return self._send("push", call, deadline=None, max_attempts=max(1, attempts))

    def _call(
        self,
        what: str,
        raw: Callable[..., Any] | None,
        method: Callable[..., Any],
        model: Any,
        body: dict[str, Any],
        **kwargs: Any,
    ) -> Callable[[], Any] | None:
        """One attempt at the API call, ready to repeat; None when the messages would be refused."""
        problems = check_messages(body["messages"])
        if problems:
            log.error("LINE %s not sent: outside LINE's limits (%s)", what, "; ".join(problems[:3]))
            return None
        if raw is not None:
            return lambda: raw(self._api, body, _request_timeout=REQUEST_TIMEOUT, **kwargs)
        try:  # an SDK without ``raw_function``: the documented path through its models
            request = model.from_dict(body)
        except (ValueError, TypeError) as exc:
            log.error("LINE %s not sent: messages do not fit the API schema (%s)", what, type(exc).__name__)
            return None
        return lambda: method(request, _request_timeout=REQUEST_TIMEOUT, **kwargs)

    # --- retry loop ------------------------------------------------------------------------------

    def _send(
        self, what: str, call: Callable[[], Any], *, deadline: float | None, max_attempts: int
    ) -> SendResult:
        sdk = _sdk()
        attempt = 0
        while True:
            attempt += 1
            status: int | None
            retry_after: float | None = None
            try:
                response = call()
                request_id = _header(response.headers, "x-line-request-id")
                return SendResult(
                    ok=True, status=response.status_code, attempts=attempt, request_id=request_id
                )
            except sdk.m.ApiException as exc:
                status = exc.status if isinstance(exc.status, int) and exc.status > 0 else None
                error = (
                    _line_error(exc) if status else (str(exc.reason)[:200] if exc.reason else "no response")
                )
                if what == "push" and status == 409:
                    accepted = _header(exc.headers, "x-line-accepted-request-id")
                    log.info("LINE push already accepted for this retry key (request %s)", accepted)
                    return SendResult(
                        ok=True, status=409, attempts=attempt, request_id=accepted, duplicate=True
                    )
                if status == 429:
                    retry_after = _retry_after(exc.headers)
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                status, error = None, type(exc).__name__
            except sdk.ValidationError:  # 2xx, but a body the SDK's models do not expect: it was sent
                log.info("LINE %s accepted; its response body did not match the SDK's model", what)
                return SendResult(ok=True, attempts=attempt)
            except Exception as exc:  # a bug on our side: never retried, never raised
                log.error("LINE %s failed: %s", what, type(exc).__name__)
                return SendResult(ok=False, attempts=attempt, error=type(exc).__name__)
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
