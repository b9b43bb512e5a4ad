"""The answer pipeline bound to one database connection: what a conversation's turn needs of it
(``handlers.conversation.Answering``): answer a question, tell a record's kind, give one record's main
card (「2番目の」), its fuller text (「もっと詳しく」) or the runners-up of a question (「ほかには？」)."""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from handlers.context import Context, sentences
from handlers.registry import BUILDERS, about
from handlers.reply import MAX_TEXT, Query, Reply
from nlp.analyze import analyze
from nlp.intent import detect, strip_refs
from nlp.normalize import compact, normalize
from nlp.ranking import rank
from nlp.years import mask_years

RUNNER_UP = 0.3  # of the best record's score: a runner-up still about the question
MIN_CONFIDENCE = 0.25
SURE = 0.65  # a runner-up this confident is about the question, however much better the best one fits
# the columns that name the record a record belongs to (its 施策, its project, its KPI)
_PARENT_KEYS = ("measure_id", "kpi_id", "project_id", "item_id")


def _below_goals(family: set[str]) -> set[str]:
    return {rid for rid in family if not rid.startswith("goal-")}


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

    def body_of(self, record_id: str) -> str:
        """A record's text in compact form (for telling whether it says a word)."""
        index = self.pipeline.index
        i = index.by_id.get(record_id)
        return index.compact_body[i] if i is not None else ""

    def records_using(self, term: str, question: str) -> list[str]:
        """The records (not the term's own definition) whose text uses ``term``, those fitting
        ``question`` best first: where the strategy puts a term to work (DMO → くまもとＤＭＣ)."""
        index = self.pipeline.index
        key = compact(term)
        if len(key) < 2:
            return []
        using = [
            d.id for i, d in enumerate(index.docs) if d.kind != "glossary" and key in index.compact_body[i]
        ]
        normalized = normalize(question)
        ranked = [
            c.doc.id for c in rank(index, analyze(mask_years(strip_refs(normalized))), detect(normalized))
        ]
        order = {rid: k for k, rid in enumerate(ranked)}
        return sorted(using, key=lambda rid: order.get(rid, len(order)))

    def related(self, record_id: str, other_id: str) -> bool:
        """Whether two records are of one family: the same, one within the other, or siblings (a
        KPI and the items of its 施策, a first-term indicator and this term's KPI)."""
        mine, theirs = self._family(record_id), self._family(other_id)
        if not (record_id.startswith("goal-") or other_id.startswith("goal-")):
            mine, theirs = _below_goals(mine), _below_goals(theirs)  # a goal's records are many
        return bool(mine & theirs)

    def ancestor(self, record_id: str, kind: str) -> str | None:
        """The record of ``kind`` that ``record_id`` is part of (a 健康ポイント item's project)."""
        seen: set[str] = set()
        todo = [record_id]
        while todo:
            rid = todo.pop(0)
            doc = self.pipeline.index.doc(rid) if rid and rid not in seen else None
            if doc is None:
                continue
            if doc.kind == kind:
                return doc.id
            seen.add(rid)
            todo += self._parents(rid)
        return None

    def _where_used(self, term_id: str) -> str:
        """The sentences of the record a term's footnote is attached to that use the term."""
        row = self.corpus.by_id.get(term_id) or {}
        index = self.pipeline.index
        user = index.doc(index.by_source.get(row.get("appears_in") or "") or "")
        if user is None:
            return ""
        names = [n for n in (row.get("term"), *(row.get("aliases") or [])) if n and len(n) >= 2]
        return "".join([s for s in sentences(user.body) if any(n in s for n in names)][:2])

    def _parents(self, record_id: str) -> list[str]:
        """The records ``record_id`` belongs to: by its row's columns, and its document's parent."""
        row = self.corpus.by_id.get(record_id) or {}
        doc = self.pipeline.index.doc(record_id)
        return [*(row.get(k) or "" for k in _PARENT_KEYS), doc.parent or "" if doc else ""]

    def _family(self, record_id: str) -> set[str]:
        found: set[str] = set()
        todo = [record_id]
        while todo and len(found) < 8:
            rid = todo.pop()
            if not rid or rid in found:
                continue
            found.add(rid)
            todo += self._parents(rid)
        return found

    def detail(self, record_id: str, query: Query) -> Reply | None:
        """A record's fuller text (「もっと詳しく」): everything its document says, as the data has it."""
        doc = self.pipeline.index.doc(record_id)
        if doc is None or not doc.body.strip():
            return None
        if doc.group == "kpi" and doc.kind == "kpi" and _MORE.fullmatch(query.text.strip()):
            # a KPI's card says all its figures: more about it is the policy that moves it
            row = self.corpus.by_id.get(record_id) or {}
            name = row.get("short_name") or row.get("name") or ""
            policy = self.answer_one(query.model_copy(update={"text": f"{name}に関する取組は？"}))
            card = self.answer_record(record_id, query)
            if card is not None and policy.answered and policy.kind == "policy":
                return card.model_copy(
                    update={"text": _within_limit(f"{card.text}\n【関連する取組】\n{policy.text}")}
                )
        head = doc.names[0][0] if doc.names else ""
        text = f"【{head}】詳しい内容\n{doc.body.strip()}" if head else doc.body.strip()
        used = self._where_used(record_id) if doc.group == "glossary" else ""
        if used:  # 「DMOって？」「もっと詳しく」: what the strategy does with the term, too
            text += f"\n【戦略の中での使われ方】\n{used}"
        return Reply(
            kind=_DETAIL_KIND.get(doc.group, "overview"),
            answered=True,
            text=_within_limit(text),
            source=doc.source,
            data={"record": record_id},
        )


_MORE = re.compile(
    r"(もっと|もう少し|さらに)?(詳しく|くわしく)(教えて|知りたい)?(ください|くれ|ね|よ)?[。!！?？]*"
)


def _within_limit(text: str) -> str:
    """``text`` cut to a reply's limit, marked with … where it was cut."""
    return text[: MAX_TEXT - 1] + "…" if len(text) > MAX_TEXT else text


_DETAIL_KIND = {
    "glossary": "glossary",
    "kpi": "kpi",
    "policy": "policy",
    "overview": "overview",
    "committee": "committee",
}
