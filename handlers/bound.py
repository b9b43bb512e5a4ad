"""The answer pipeline bound to one database connection: what a conversation's turn needs of it
(``handlers.conversation.Answering``): answer a question, tell a record's kind, give one record's main
card (「2番目の」), its fuller text (「もっと詳しく」) or the runners-up of a question (「ほかには？」)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from handlers.context import Context
from handlers.registry import BUILDERS, about
from handlers.reply import MAX_TEXT, Query, Reply
from nlp.analyze import analyze
from nlp.intent import detect, strip_refs
from nlp.normalize import normalize
from nlp.ranking import rank
from nlp.years import mask_years

RUNNER_UP = 0.3  # of the best record's score: a runner-up still about the question
MIN_CONFIDENCE = 0.25
SURE = 0.65  # a runner-up this confident is about the question, however much better the best one fits


class BoundPipeline:
    """The pipeline with one connection: what a conversation's turn needs (``conversation.Answering``)."""

    def __init__(self, pipeline: Any, db: sqlite_utils.Database):
        self.pipeline = pipeline
        self.db = db
        self.corpus = pipeline.corpus

    def answer_one(self, query: Query) -> Reply:
        return self.pipeline.answer(query, self.db)

    def kind_of(self, record_id: str) -> str | None:
        doc = self.pipeline.index.doc(record_id)
        return doc.kind if doc else None

    def answer_record(self, record_id: str, query: Query) -> Reply | None:
        """The main card of one record (「2番目の」 picks it from the list last shown)."""
        pipeline = self.pipeline
        doc = pipeline.index.doc(record_id)
        if doc is None or doc.kind not in BUILDERS:
            return None
        normalized = normalize(query.text)
        analyzed = analyze(mask_years(strip_refs(normalized)))
        ctx = Context(pipeline.corpus, pipeline.index, self.db, query, analyzed, detect(normalized))
        ctx.contact = pipeline.contact
        return about(BUILDERS[doc.kind](ctx, doc), record_id)

    def alternatives(self, question: str, exclude: list[str]) -> list[str]:
        """Other records that answer ``question`` nearly as well as the one given (「ほかには？」 after
        an answer found by ranking): the runners-up, best first, none shown already."""
        pipeline = self.pipeline
        normalized = normalize(question)
        intent = detect(normalized)
        candidates = rank(pipeline.index, analyze(mask_years(strip_refs(normalized))), intent)
        if not candidates:
            return []
        floor = RUNNER_UP * candidates[0].score
        return [
            c.doc.id
            for c in candidates
            if c.doc.id not in exclude
            and c.doc.kind in BUILDERS
            and c.confidence >= MIN_CONFIDENCE
            and (c.score >= floor or c.confidence >= SURE)
        ][:3]

    def detail(self, record_id: str, query: Query) -> Reply | None:
        """A record's fuller text (「もっと詳しく」): everything its document says, as the data has it."""
        doc = self.pipeline.index.doc(record_id)
        if doc is None or not doc.body.strip():
            return None
        head = doc.names[0][0] if doc.names else ""
        text = f"【{head}】詳しい内容\n{doc.body.strip()}" if head else doc.body.strip()
        return Reply(
            kind=_DETAIL_KIND.get(doc.group, "overview"),
            answered=True,
            text=text[: MAX_TEXT - 1] + "…" if len(text) > MAX_TEXT else text,
            source=doc.source,
            data={"record": record_id},
        )


_DETAIL_KIND = {
    "glossary": "glossary",
    "kpi": "kpi",
    "policy": "policy",
    "overview": "overview",
    "committee": "committee",
}
