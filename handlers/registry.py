"""The record types the bot answers about, and the main card of each (one builder per kind).

A record is found by ranking (``nlp``); what is asked of it is answered by its builder, which picks
the aspect the question wants (a KPI's year, a member's term…) and otherwise gives the record's main
card: a term's definition, a KPI's figures, a policy's summary, a meeting's date, place and agenda.
"""

from __future__ import annotations

from collections.abc import Callable

from handlers import committee, glossary, kpi, overview, policy
from handlers.context import Context
from handlers.reply import Reply
from nlp.index import Doc

# One builder per record kind: (context, index document) -> Reply.
BUILDERS: dict[str, Callable[[Context, Doc], Reply]] = {
    "glossary": lambda c, d: glossary.answer(c, c.corpus.by_id[d.id]),
    "kpi": lambda c, d: kpi.answer(c, c.corpus.by_id[d.id]),
    "history": lambda c, d: kpi.answer_history(c, c.corpus.by_id[d.id]),
    "review": lambda c, d: policy.review(c, c.corpus.by_id[d.id]),
    "goal": lambda c, d: policy.goal(c, c.corpus.by_id[d.id]),
    "goals": lambda c, d: policy.goals(c),
    "measure": lambda c, d: policy.measure(c, c.corpus.by_id[d.id]),
    "item": lambda c, d: policy.item(c, c.corpus.by_id[d.id]),
    "project": lambda c, d: policy.project(c, c.corpus.by_id[d.id]),
    "projects": lambda c, d: policy.projects(c),
    "project_item": lambda c, d: policy.project_item(c, c.corpus.by_id[d.id]),
    "project_subitem": lambda c, d: policy.project_subitem(c, c.corpus.by_id[d.id]),
    "overview": lambda c, d: overview.overview(c, c.corpus.by_id[d.id]),
    "promotion": lambda c, d: overview.promotion(c, c.corpus.by_id[d.id]),
    "committee": lambda c, d: committee.committee(c),
    "members": lambda c, d: committee.members(c),
    "member": lambda c, d: committee.member(c, c.corpus.by_id[d.id]),
    "rules": lambda c, d: committee.rules(c),
    "rule": lambda c, d: committee.rule(c, c.corpus.by_id[d.id]),
    "meetings": lambda c, d: committee.history(c),
    "meeting": lambda c, d: committee.meeting(c, c.corpus.by_id[d.id]["number"]),
    "public_comment": lambda c, d: committee.public_comment(c, c.corpus.by_id[d.id]),
}


def about(reply: Reply, record_id: str) -> Reply:
    """Note which record the reply is about (a conversation's topic), unless the builder did."""
    if reply.answered:
        reply.data.setdefault("record", record_id)
    return reply
