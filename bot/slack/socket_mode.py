"""``strategy-bot slack``: the Slack app over Socket Mode (no public URL needed).

Uses ``SLACK_APP_TOKEN`` (``xapp-…``, connections:write) and ``SLACK_BOT_TOKEN``; the same
listeners as the HTTP mode. ``SLACK_API_URL`` points the Web API client (and the
``apps.connections.open`` call) elsewhere for staging and tests.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from bot.config import Settings


def socket_handler(settings: Settings) -> Any:
    """Build the Bolt app in Socket Mode and its handler (not started)."""
    from bot.context import AppContext
    from bot.slack.app import SlackBot
    from bot.slack.socket_handler import ValidatingSocketModeHandler

    if settings.slack_app_token is None or settings.slack_bot_token is None:
        raise click.UsageError(
            "SLACK_APP_TOKEN と SLACK_BOT_TOKEN を設定してください（.env.example を参照）。"
        )
    ctx = AppContext(settings)
    bot = SlackBot(ctx, socket_mode=True)
    ctx.answerer()  # build the index before the first question
    return ValidatingSocketModeHandler(
        bot.app, app_token=settings.slack_app_token.get_secret_value(), web_client=bot.client
    )


@click.command("slack")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database path (default: $STRATEGY_BOT_DB or var/strategy.db).",
)
def slack(db_path: Path | None) -> None:
    """Run the Slack app over Socket Mode (SLACK_APP_TOKEN, SLACK_BOT_TOKEN)."""
    if db_path is not None:
        os.environ["STRATEGY_BOT_DB"] = str(db_path)
    handler = socket_handler(Settings.from_env())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo("Slack (Socket Mode) に接続します。終了は Ctrl+C。", err=True)
    try:
        handler.start()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        handler.close()
        sys.exit(0)
