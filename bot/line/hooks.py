"""Extension points of the LINE channel for other modules: text hooks that see LINE text messages
before the answer pipeline (e.g. 「リマインド登録」 for the reminders), and the process's LINE sender
for pushes."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from bot.context import AppContext
from bot.line.api import LineSender
from handlers.reply import Reply

_HOOKS_ATTR = "line_text_hooks"
_SENDER_ATTR = "line_sender"
_SENDER_LOCK = threading.Lock()


class LineTextCommand(BaseModel):
    """A text message addressed to the bot, as offered to text hooks before the answer pipeline."""

    model_config = ConfigDict(frozen=True)

    text: str  # mention and trigger word removed, stripped
    user_id: str | None  # the real LINE user id (store it only where a later push needs it)
    user_hash: str | None
    chat_type: str  # user | group | room
    now: dt.datetime


TextHook = Callable[[LineTextCommand], Reply | None]


def add_text_hook(ctx: AppContext, hook: TextHook) -> None:
    """Let ``hook`` see LINE text messages first; the first hook returning a Reply answers the message."""
    vars(ctx).setdefault(_HOOKS_ATTR, []).append(hook)


def text_hooks(ctx: AppContext) -> list[TextHook]:
    """The text hooks added so far, in order."""
    return vars(ctx).get(_HOOKS_ATTR, [])


def get_sender(ctx: AppContext) -> LineSender | None:
    """The process's LINE sender (None when LINE is not configured)."""
    if ctx.settings.line_channel_access_token is None:
        return None
    with _SENDER_LOCK:
        sender = vars(ctx).get(_SENDER_ATTR)
        if sender is None:
            sender = LineSender.from_settings(ctx.settings)
            vars(ctx)[_SENDER_ATTR] = sender
            ctx.on_shutdown.append(sender.close)
    return sender
