"""``/strategy unanswered [days]``: what citizens asked that the bot could not answer, most frequent
first, so that staff can add synonyms or data."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from handlers.reply import Reply
from handlers.staff_kpi import error, split_args
from handlers.unanswered import Log, top_unanswered

DEFAULT_DAYS = 30
MAX_DAYS = 365
SHOWN = 20

_NAMES = {"unanswered", "未回答", "答えられなかった質問"}


class UnansweredCmd(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["unanswered"] = "unanswered"
    days: int = Field(default=DEFAULT_DAYS, ge=1, le=MAX_DAYS)


def is_command(text: str) -> bool:
    args = split_args(text)
    return bool(args) and args[0].lower() in _NAMES


def parse(text: str) -> UnansweredCmd | Reply:
    args = split_args(text)[1:]
    if not args:
        return UnansweredCmd()
    raw = unicodedata.normalize("NFKC", args[0]).removesuffix("日間").removesuffix("日")
    if not re.fullmatch(r"\d{1,4}", raw) or not 1 <= int(raw) <= MAX_DAYS:
        return error(f"日数は1から{MAX_DAYS}までの数字で指定してください。例: /strategy unanswered 7")
    return UnansweredCmd(days=int(raw))


def handle(db: Log, cmd: UnansweredCmd, *, now: dt.datetime) -> Reply:
    rows = [(text, count) for text, count, _last in top_unanswered(db, cmd.days, now, limit=50)]
    if not rows:
        return Reply(
            kind="staff", answered=False, text=f"この{cmd.days}日間に、答えられなかった質問はありません。"
        )
    lines = [f"この{cmd.days}日間に答えられなかった質問（多い順）:"]
    total = 0
    for text, count in rows[:SHOWN]:
        line = f"・{text[:80]}（{count}回）"
        if total + len(line) > 850:
            break
        lines.append(line)
        total += len(line) + 1
    if len(rows) > len(lines) - 1:
        lines.append(f"ほか{len(rows) - (len(lines) - 1)}件")
    lines.append("よくある言い回しは synonyms.yaml に加えると答えられるようになります。")
    return Reply(
        kind="staff",
        answered=False,
        text="\n".join(lines),
        data={"unanswered": [{"text": t, "count": c} for t, c in rows[:50]], "days": cmd.days},
    )
