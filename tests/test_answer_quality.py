"""Answer quality over tests/questions.yaml, through the ``strategy-bot ask`` stdin JSON contract.

The same checks as benchmarks/answer_quality.py, run in-process with click's CliRunner: the suite
fails when overall accuracy is below 95 % or any out-of-scope question is answered.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from bot.cli import main
from strategy_data.loader import load

ROOT = Path(__file__).resolve().parents[1]


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("answer_quality", ROOT / "benchmarks" / "answer_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["answer_quality"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _benchmark()
QUESTIONS = bench.load_questions()


@pytest.fixture(scope="module")
def results(built_db_master: Path, tmp_path_factory: pytest.TempPathFactory) -> list:
    db = tmp_path_factory.mktemp("quality") / "strategy.db"
    db.write_bytes(built_db_master.read_bytes())
    stdin = "".join(q["q"] + "\n" for q in QUESTIONS)
    out = CliRunner().invoke(main, ["ask", "--db", str(db)], input=stdin)
    assert out.exit_code == 0, (out.output, out.stderr, repr(out.exception))
    replies = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return bench.evaluate(QUESTIONS, replies)


def test_question_set_is_large_and_varied() -> None:
    kinds = [q["kind"] for q in QUESTIONS]
    assert len(QUESTIONS) >= 150
    assert kinds.count("out_of_scope") >= 20
    for kind in ("glossary", "kpi", "kpi_list", "policy", "overview", "committee"):
        assert kind in kinds
    assert len({q["q"] for q in QUESTIONS}) == len(QUESTIONS), "duplicate questions"


def test_every_glossary_term_and_kpi_is_asked(results: list) -> None:
    """Each of the 19 terms' definitions and each of the 17 KPIs' names is in some passing reply."""

    def plain(text: str) -> str:  # quotes may be nested as 『』 in replies
        return re.sub(r"[「」『』]", "", bench.squash(text))

    texts = " ".join(plain(r.reply.get("text")) for r in results if r.ok)
    data = load()
    for term in data.glossary.terms:
        assert plain(term.definition)[:12] in texts, term.id
    for kpi in data.kpis.kpis:
        assert plain(kpi.name)[:6] in texts, kpi.id


def test_no_out_of_scope_question_is_answered(results: list) -> None:
    answered = [
        r.question["q"] for r in results if r.question["kind"] == "out_of_scope" and r.reply["answered"]
    ]
    assert answered == []


def test_accuracy_is_at_least_95_percent(results: list) -> None:
    summary = bench.summary(results)
    failures = "\n".join(f"{r.question['q']}: {'; '.join(r.problems)}" for r in results if not r.ok)
    assert summary["accuracy"] >= bench.REQUIRED_ACCURACY, failures
