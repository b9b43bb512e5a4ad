"""The local commands: ask (text, --json, stdin JSON lines), chat, unanswered."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_ask_prints_the_reply_as_a_user_reads_it(built_db_path: Path) -> None:
    out = run("ask", "--db", str(built_db_path), "待機児童の目標は？")
    assert out.exit_code == 0, out.output
    assert "待機児童" in out.output and "出典：" in out.output and "基本目標２" in out.output
    assert "こんな質問もできます" in out.output


def test_ask_json_is_one_object_with_the_contract_keys(built_db_path: Path) -> None:
    out = run("ask", "--json", "--db", str(built_db_path), "MICEとは")
    assert out.exit_code == 0, out.output
    obj = json.loads(out.stdout)
    assert set(obj) == {"answered", "kind", "text", "source", "suggestions"}
    assert obj["answered"] is True and obj["kind"] == "glossary" and obj["source"]
    assert isinstance(obj["suggestions"], list)


def test_stdin_mode_answers_each_line_in_order(built_db_path: Path) -> None:
    lines = ["待機児童の目標は？", "", "こんにちは", "明日の天気は？", "ＫＰＩとは"]
    out = run("ask", "--db", str(built_db_path), input="\n".join(lines) + "\n")
    assert out.exit_code == 0, out.output
    replies = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["kind"] for r in replies] == ["kpi", "help", "greeting", "out_of_scope", "glossary"]
    assert [r["answered"] for r in replies] == [True, False, False, False, True]


def test_stdin_mode_flushes_after_each_answer(built_db_path: Path) -> None:
    """A caller can write one question and read its answer before sending the next."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ask", "--db", str(built_db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for question, kind in (("出生数の目標は？", "kpi"), ("DMOとは", "glossary")):
            proc.stdin.write((question + "\n").encode("utf-8"))
            proc.stdin.flush()
            line = proc.stdout.readline()  # blocks until the answer is flushed
            assert json.loads(line)["kind"] == kind
    finally:
        proc.stdin.close()
        code = proc.wait(timeout=30)
        proc.stdout.close()
    assert code == 0


def test_chat_greets_answers_and_quits(built_db_path: Path) -> None:
    out = run("chat", "--db", str(built_db_path), input="待機児童の目標は？\n1\n終了\n")
    assert out.exit_code == 0, out.output
    assert "何でも聞いてください" in out.output  # the greeting says what to ask
    assert "保育所など利用待機児童数" in out.output
    assert "→ " in out.output  # "1" asked the first suggestion
    assert out.output.rstrip().endswith("ご利用ありがとうございました。")


def test_chat_ends_on_end_of_input(built_db_path: Path) -> None:
    out = run("chat", "--db", str(built_db_path), input="MICEとは\n")
    assert out.exit_code == 0, out.output
    assert "Convention" in out.output and "ご利用ありがとうございました。" in out.output


def test_unanswered_lists_the_most_frequent(built_db_path: Path) -> None:
    questions = "住民票の取り方\n住民票の取り方\nおすすめのラーメン屋\n待機児童の目標は？\n"
    assert run("ask", "--db", str(built_db_path), input=questions).exit_code == 0
    out = run("unanswered", "--db", str(built_db_path), "--days", "7")
    assert out.exit_code == 0, out.output
    body = out.output.splitlines()
    assert "住民票の取り方" in body[1] and body[1].split()[0] == "2"
    assert "ラーメン" in out.output and "待機児童" not in out.output


def test_unanswered_when_there_are_none(built_db_path: Path) -> None:
    out = run("unanswered", "--db", str(built_db_path))
    assert out.exit_code == 0 and "ありません" in out.output


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    out = run("ask", "--db", str(tmp_path / "none.db"), "質問")
    assert out.exit_code == 1
    assert "load-data" in out.output
