"""Follow-up suggestions are short questions the bot can answer itself."""

from __future__ import annotations

from pathlib import Path

import yaml

from handlers.reply import Query

QUESTIONS = Path(__file__).resolve().parents[1] / "questions.yaml"


def test_every_suggestion_is_short_and_answerable(answerer) -> None:
    suggestions: set[str] = set()
    for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]:
        suggestions.update(answerer.answer(Query(text=q["q"], channel="test")).suggestions)
    assert len(suggestions) > 50
    too_long = sorted(s for s in suggestions if len(s) > 20)
    assert too_long == []  # LINE quick-reply labels hold 20 characters
    unanswerable = []
    for s in sorted(suggestions):
        reply = answerer.answer(Query(text=s, channel="test"))
        if reply.kind in ("fallback", "out_of_scope", "error"):
            unanswerable.append(s)
    assert unanswerable == []


def test_policy_question_about_a_kpi_or_term_gets_the_policy(answerer) -> None:
    reply = answerer.answer(Query(text="観光消費額の取り組みは？", channel="test"))
    assert reply.kind == "policy" and "観光消費額" in reply.text
    reply = answerer.answer(Query(text="SNSに関する取り組みは？", channel="test"))
    assert reply.kind == "policy" and "SNS" in reply.text.replace("ＳＮＳ", "SNS")
