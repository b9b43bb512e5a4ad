"""Local commands that need no account: ``ask``, ``chat`` and ``unanswered``.

- ``strategy-bot ask "質問"`` prints the reply as a user reads it; ``--json`` prints one object
  ``{"answered", "kind", "text", "source", "suggestions"}``. With no question it reads questions
  from standard input, one a line, and writes one JSON object a line, in order, flushing after each.
  Answer quality is measured through exactly this contract.
- ``strategy-bot chat``: an interactive chat in Japanese (quit with 終了, exit or Ctrl-D).
- ``strategy-bot unanswered [--days N]``: the questions the bot most often could not answer.
"""

from __future__ import annotations

import contextlib
import json
import sys
import uuid
from pathlib import Path

import click
import sqlite_utils

from bot.config import Settings
from bot.context import open_db
from handlers.reply import Query, Reply
from strategy_data.clock import now_jst
from strategy_data.database import default_db_path, is_built

_db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database path (default: $STRATEGY_BOT_DB or var/strategy.db).",
)

QUIT_WORDS = {"終了", "しゅうりょう", "exit", "quit", "q", "bye", "おわり", "終わり"}


def _open(db_path: Path | None) -> sqlite_utils.Database:
    path = db_path or default_db_path()
    if not Path(path).exists():
        click.echo(f"database not found: {path} (run `strategy-bot load-data` first)", err=True)
        sys.exit(1)
    db = open_db(Settings.from_env(), Path(path))
    if not is_built(db):
        click.echo(f"database is empty: {path} (run `strategy-bot load-data` first)", err=True)
        sys.exit(1)
    return db


def _answerer(db: sqlite_utils.Database):  # -> handlers.dispatch.Answerer
    from bot.config import Settings
    from handlers.conversation import InMemory
    from handlers.dispatch import Answerer

    settings = Settings.from_env()
    return Answerer(
        db,
        contact=settings.contact_text,
        memory=InMemory(),  # a terminal session is one conversation, kept while it runs
        conversation_ttl=settings.conversation_ttl_minutes * 60,
    )


def _session() -> str:
    return "cli:" + uuid.uuid4().hex


def render(reply: Reply) -> str:
    """A reply as a person reads it in a terminal."""
    lines = [reply.text]
    if reply.source:
        lines.append(f"（出典：{reply.source}）")
    if reply.suggestions:
        lines.append("")
        lines.append("こんな質問もできます：")
        lines += [f"  {i}. {s}" for i, s in enumerate(reply.suggestions, 1)]
    return "\n".join(lines)


def _json_line(reply: Reply) -> str:
    return json.dumps(reply.as_json(), ensure_ascii=False)


@click.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the reply as one JSON object.")
@click.option(
    "--conversation",
    is_flag=True,
    help="Standard input is a conversation: each line a turn, an empty line starts a new one.",
)
@_db_option
def ask(question: str | None, as_json: bool, conversation: bool, db_path: Path | None) -> None:
    """Answer one question; with no QUESTION, answer each line of standard input as JSON
    (each line on its own, or with --conversation as the turns of conversations)."""
    db = _open(db_path)
    answerer = _answerer(db)
    try:
        if question is not None:
            reply = answerer.answer(Query(text=question, channel="cli", now=now_jst()))
            click.echo(_json_line(reply) if as_json else render(reply))
            return
        stdin, out = sys.stdin, sys.stdout
        for stream in (stdin, out):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                with contextlib.suppress(ValueError, OSError):  # a stream already in use keeps its encoding
                    reconfigure(encoding="utf-8", errors="replace")
        session = _session() if conversation else None
        for line in stdin:
            text = line.rstrip("\r\n")
            if conversation and not text.strip():
                session = _session()  # an empty line: the next turn starts a new conversation
                continue
            reply = answerer.answer(Query(text=text, channel="cli", now=now_jst(), conversation=session))
            out.write(_json_line(reply) + "\n")
            out.flush()
    finally:
        db.close()


@click.command("chat")
@_db_option
def chat(db_path: Path | None) -> None:
    """Chat with the bot in the terminal (in Japanese)."""
    db = _open(db_path)
    answerer = _answerer(db)
    click.echo("熊本市しごと・ひと・まち創生総合戦略（第２期）について、何でも聞いてください。")
    click.echo("例：「待機児童の目標は？」「MICEとは？」「創業支援の取り組みは？」「次回の会議はいつ？」")
    click.echo(
        "番号を入力すると、表示された質問の例を聞けます。終わるときは「終了」（または exit、Ctrl-D）。"
    )
    suggestions: list[str] = []
    session = _session()
    try:
        while True:
            try:
                line = click.prompt("\n質問", prompt_suffix="> ", default="", show_default=False)
            except (EOFError, click.exceptions.Abort):
                click.echo("")
                break
            text = line.strip()
            if text.casefold() in QUIT_WORDS:
                break
            if text.isdigit() and suggestions and 1 <= int(text) <= len(suggestions):
                text = suggestions[int(text) - 1]
                click.echo(f"→ {text}")
            reply = answerer.answer(Query(text=text, channel="cli", now=now_jst(), conversation=session))
            suggestions = list(reply.suggestions)
            click.echo(render(reply))
    finally:
        db.close()
    click.echo("ご利用ありがとうございました。")


@click.command("unanswered")
@click.option(
    "--days", default=30, show_default=True, type=click.IntRange(1, 3650), help="Look back this many days."
)
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1, 500), help="Show at most this many."
)
@_db_option
def unanswered(days: int, limit: int, db_path: Path | None) -> None:
    """List the questions the bot most often could not answer."""
    from bot.config import Settings
    from handlers.unanswered import top_unanswered
    from store import open_store

    url = Settings.from_env().database_url
    if url is not None:  # the servers log to the shared store
        shared = open_store(url.get_secret_value())
        try:
            rows = top_unanswered(shared.backend, days, now_jst(), limit=limit)
        finally:
            shared.close()
    else:
        db = _open(db_path)
        try:
            rows = top_unanswered(db, days, now_jst(), limit=limit)
        finally:
            db.close()
    if not rows:
        click.echo(f"過去{days}日間に答えられなかった質問はありません。")
        return
    click.echo(f"過去{days}日間に答えられなかった質問（多い順）：")
    for text, count, last in rows:
        click.echo(f"{count:5d}  {last[:16].replace('T', ' ')}  {text}")
