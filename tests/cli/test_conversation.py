"""Conversations in the terminal: ``chat`` is one conversation; ``ask --conversation`` reads the turns of
conversations from standard input (an empty line starts a new one); plain ``ask`` answers each line
on its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from bot.cli import main

PROMPT = "質問> "


def run(*args: str, input: str) -> str:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def turns(output: str) -> dict[str, str]:
    """What the chat printed after each question (the prompt echoes the question typed)."""
    out = {}
    for part in output.split(PROMPT)[1:]:
        question, _, answer = part.partition("\n")
        out[question] = answer
    return out


def json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_the_chat_answers_a_follow_up_with_the_topic(built_db_path: Path) -> None:
    out = run("chat", "--db", str(built_db_path), input="出生数はどうなってる？\nその目標は？\n終了\n")
    answers = turns(out)
    assert "出生数" in answers["出生数はどうなってる？"]
    follow = answers["その目標は？"]
    assert "出生数" in follow and "7,000" in follow and "どの項目" not in follow
    assert out.rstrip().endswith("ご利用ありがとうございました。")


def test_ask_conversation_starts_afresh_after_an_empty_line(built_db_path: Path) -> None:
    lines = ["出生数はどうなってる？", "その目標は？", "", "その目標は？", "観光消費額は？", "その目標は？"]
    out = run("ask", "--json", "--conversation", "--db", str(built_db_path), input="\n".join(lines) + "\n")
    replies = json_lines(out)
    assert len(replies) == 5  # the empty line is no turn
    assert replies[1]["answered"] and "出生数" in replies[1]["text"] and "7,000" in replies[1]["text"]
    assert replies[2]["kind"] == "clarify" and replies[2]["answered"] is False  # a new conversation
    assert "観光消費額" in replies[4]["text"] and "852" in replies[4]["text"]


def test_ask_without_conversation_answers_every_line_on_its_own(built_db_path: Path) -> None:
    out = run("ask", "--json", "--db", str(built_db_path), input="出生数はどうなってる？\nその目標は？\n")
    first, follow = json_lines(out)
    assert first["kind"] == "kpi"
    assert follow["kind"] in ("clarify", "fallback") and not follow["answered"]
    assert "7,000" not in follow["text"]
