"""Bolt's Socket Mode handler with the same check of every payload as the HTTP endpoint."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.slack import envelope

log = logging.getLogger("strategy_bot.slack")


class ValidatingSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler, with the HTTP endpoint's check of every payload before Bolt sees it
    (``bot.slack.envelope``): a malformed or unhandled payload is acknowledged, logged and dropped, so
    that Slack does not send it again and Bolt never raises over it."""

    def handle(self, client: Any, req: SocketModeRequest) -> None:  # type: ignore[override]
        verdict = envelope.judge_socket(req.type, req.payload)
        if verdict.kind != "accepted":
            log.info("slack socket envelope %s dropped: %s", verdict.kind, verdict.reason)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        super().handle(client, req)
