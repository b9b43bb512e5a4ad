"""The answer pipeline bound to one database connection: what a conversation's turn needs of it
(``handlers.conversation.Answering``): answer a question, tell a record's kind, give one record's main
card (「2番目の」) or its fuller text (「もっと詳しく」)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from handlers.context import Context
from handlers.registry import BUILDERS, about
from handlers.reply import MAX_TEXT, Query, Reply
from nlp.analyze import analyze
from nlp.intent import detect, strip_refs
from nlp.normalize import normalize
from nlp.years import mask_years


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
