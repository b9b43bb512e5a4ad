"""Posting reminders to a Slack channel: paced, retried with backoff, and never posted twice.

- Pacing: Slack allows about one message a second per channel, so posts to one channel are spaced
  at least ``min_interval`` apart (within this process).
- Retries: rate limits (429, honouring ``Retry-After``), 5xx and Slack's transient errors are retried
  with exponential backoff; other errors (``channel_not_found``, ``not_in_channel``…) are final.
- At most once: each post carries message metadata naming its delivery. When a try ended without an
  answer (timeout, dropped connection: Slack may have posted it) or a crashed run's claim is resumed,
  the channel's recent history is checked for that metadata before posting again.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings

log = logging.getLogger("strategy_bot.reminders.slack")

METADATA_EVENT = "strategy_bot_reminder"
TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
HISTORY_MARGIN_SECONDS = 120.0


class PostResult(BaseModel):
    ok: bool
    attempts: int = 0
    ts: str | None = None
    duplicate: bool = False  # found already posted: not posted again
    error: str | None = None  # Slack's error code or the exception type; never message text


def make_client(settings: Settings, *, timeout: int = 10) -> WebClient:
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    base_url = (
        settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    )
    # no SDK retries: ours know about pacing and about checking before posting again
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[],
    )


class SlackPoster:
    def __init__(
        self,
        client: WebClient,
        *,
        min_interval: float = 1.0,
        attempts: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        sleep: Callable[[float], Any] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.client = client
        self.min_interval = min_interval
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._monotonic = monotonic
        self._last_post: dict[str, float] = {}
        self._lock = threading.Lock()

    def _pace(self, channel: str) -> None:
        with self._lock:
            last = self._last_post.get(channel)
            if last is not None:
                wait = last + self.min_interval - self._monotonic()
                if wait > 0:
                    self._sleep(wait)
            self._last_post[channel] = self._monotonic()

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        *,
        delivery: str | None = None,
        check_first_since: float | None = None,
        attempts: int | None = None,
    ) -> PostResult:
        """Post once; ``delivery`` (the retry key) tags the message, ``check_first_since`` (epoch
        seconds) makes it look in the history first, for a claim resumed after a crash."""
        max_attempts = attempts or self.attempts
        metadata = (
            {"event_type": METADATA_EVENT, "event_payload": {"delivery": delivery}} if delivery else None
        )
        if (
            delivery
            and check_first_since is not None
            and self._already_posted(channel, delivery, check_first_since)
        ):
            return PostResult(ok=True, attempts=0, duplicate=True)
        started = time.time()
        attempt = 0
        while True:
            attempt += 1
            self._pace(channel)
            retry_after: float | None = None
            ambiguous = False
            try:
                response = self.client.chat_postMessage(
                    channel=channel, text=text, blocks=blocks, metadata=metadata, unfurl_links=False
                )
                return PostResult(ok=True, attempts=attempt, ts=response.get("ts"))
            except SlackApiError as exc:
                status = exc.response.status_code
                error = str(exc.response.get("error") or f"HTTP {status}")
                transient = status == 429 or status >= 500 or error in TRANSIENT_ERRORS
                if status == 429 or error == "ratelimited":
                    retry_after = _retry_after(exc.response.headers)
            except Exception as exc:  # connection refused, reset, timeout: no answer from Slack
                error = type(exc).__name__
                transient = True
                ambiguous = True
            if not transient:
                log.warning("Slack post to %s refused: %s", channel, error)
                return PostResult(ok=False, attempts=attempt, error=error)
            if attempt >= max_attempts:
                log.warning("Slack post to %s failed after %d attempts: %s", channel, attempt, error)
                return PostResult(ok=False, attempts=attempt, error=error)
            delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1)) * (0.75 + random.random() / 2)
            if retry_after is not None:
                delay = max(delay, retry_after)
            log.info("Slack post to %s: %s, retrying in %.2fs (attempt %d)", channel, error, delay, attempt)
            self._sleep(delay)
            if ambiguous and delivery and self._already_posted(channel, delivery, started):
                return PostResult(ok=True, attempts=attempt, duplicate=True)

    def _already_posted(self, channel: str, delivery: str, since: float) -> bool:
        """Whether a message tagged with ``delivery`` is in the channel since ``since`` (epoch s)."""
        try:
            response = self.client.conversations_history(
                channel=channel,
                oldest=f"{since - HISTORY_MARGIN_SECONDS:.6f}",
                include_all_metadata=True,
                limit=200,
            )
        except Exception as exc:
            log.warning(
                "Slack history of %s not readable (%s): posting without the check", channel, _name(exc)
            )
            return False
        for message in response.get("messages") or []:
            meta = message.get("metadata") or {}
            if (
                meta.get("event_type") == METADATA_EVENT
                and (meta.get("event_payload") or {}).get("delivery") == delivery
            ):
                log.info("Slack reminder %s already in %s: not posted again", delivery, channel)
                return True
        return False


def _name(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__


def _retry_after(headers: Any) -> float | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None
