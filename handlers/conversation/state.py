"""What a conversation keeps between turns (``Topic``), where (``Memory``), and what it needs of the
answer pipeline (``Answering``); the records a reply lists and the ordered sets records belong to."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, Field

from handlers.corpus import Corpus
from handlers.reply import Query, Reply

log = logging.getLogger("strategy_bot.answer")

PAGE = 5  # list items shown per 「ほかには？」
RECENT = 4


class Memory(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...
    def put(self, key: str, state: dict[str, Any], *, ttl: float) -> None: ...


class InMemory:
    """Conversations kept in this process only (the terminal chat, ``ask --conversation``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._states: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        expires, state = self._states.get(key, (0.0, {}))
        return state if expires > self.clock() else None

    def put(self, key: str, state: dict[str, Any], *, ttl: float) -> None:
        self._states[key] = (self.clock() + ttl, state)


class Topic(BaseModel):
    """What a conversation remembers between turns."""

    record: str | None = None  # the record last answered
    label: str | None = None  # how a question names it: 「出生数」「基本目標2」
    label_en: str | None = None  # its English name, for follow-ups in English
    kind: str | None = None  # its record kind (a list of members, a KPI, a goal…)
    year: int | None = None  # the year last asked about (「その年の目標は？」)
    aspect: str | None = None  # what was asked about it last: target, baseline, policy…
    asked: list[str] = Field(default_factory=list)  # every aspect asked about it so far
    items: list[str] = Field(default_factory=list)  # the records of the last list, in order
    shown: int = 0  # how many of them the list showed
    recent: list[str] = Field(default_factory=list)  # labels of recent topics, newest first
    clipped: bool = False  # the last card showed only part of its record
    question: str | None = None  # the last question answered by ranking (「ほかには？」 re-asks it)
    seen: list[str] = Field(default_factory=list)  # the records shown for that question
    pending: str | None = None  # a follow-up we asked 「どの項目？」 about, answered once it is said
    # the list the last turn picked an item of (「2つ目をもっと詳しく」): a bare 「3つ目は？」 next goes
    # on through it, even when the item picked lists items of its own
    picked_from: list[str] = Field(default_factory=list)
    list_only: bool = False  # the last reply was a list of its own (a goal's 数値目標), not one record
    first_term: bool = False  # the last figures asked of it were the first strategy's (第1期)
    # the KPI answered before the topic moved on to its policy (「それに関する取組は？」): a figure
    # asked next (「第1期の平成30年の目標は？」) is still that KPI's, the policy has none
    figures_of: str | None = None


def items_of(corpus: Corpus, kind: str | None, record_id: str, reply: Reply) -> list[str]:
    """The records a reply lists, in order: 「2番目の」「その③は？」 pick one of them."""
    if reply.data.get("items"):
        return list(reply.data["items"])
    if reply.kind == "kpi_list":
        return [f.id for f in reply.kpis]
    if kind == "goals":
        return [g["id"] for g in corpus.goals]
    if kind == "projects":
        return [p["id"] for p in corpus.projects]
    if kind == "goal":
        return [m["id"] for m in corpus.measures_of(record_id)]
    if kind == "measure":
        return [i["id"] for i in corpus.items_of(record_id)]
    if kind == "project":
        return [i["id"] for i in corpus.project_items_of(record_id)]
    if kind == "project_item":
        return [s["id"] for s in corpus.subitems_of(record_id)]
    if kind == "members":
        return [m["id"] for m in corpus.members]
    if kind in ("meetings", "committee"):
        return [m["id"] for m in corpus.meetings]
    if kind == "rules":
        return [r["id"] for r in corpus.rules]
    return []


def sequence_of(corpus: Corpus, kind: str | None, record_id: str) -> list[str]:
    """The ordered records ``record_id`` is one of (the goals, a goal's measures, the meetings…):
    「次」 after one of them goes on to the next."""
    row = corpus.by_id.get(record_id) or {}
    rows: list = []
    if kind == "goal":
        rows = corpus.goals
    elif kind == "project":
        rows = corpus.projects
    elif kind == "measure":
        rows = corpus.measures_of(row.get("goal_id", ""))
    elif kind == "item":
        rows = corpus.items_of(row.get("measure_id", ""))
    elif kind == "project_item":
        rows = corpus.project_items_of(row.get("project_id", ""))
    elif kind == "project_subitem":
        rows = corpus.subitems_of(row.get("item_id", ""))
    elif kind == "meeting":
        rows = corpus.meetings
    elif kind == "rule":
        rows = corpus.rules
    elif kind == "member":
        rows = corpus.members
    return [r["id"] for r in rows]


class Answering(Protocol):
    """What a conversation needs of the answer pipeline."""

    corpus: Corpus

    def answer_one(self, query: Query) -> Reply: ...
    def kind_of(self, record_id: str) -> str | None: ...
    def detail(self, record_id: str, query: Query) -> Reply | None: ...
    def answer_record(self, record_id: str, query: Query) -> Reply | None: ...
    def alternatives(self, question: str, exclude: list[str]) -> list[str]: ...
    def related(self, record_id: str, other_id: str) -> bool: ...
    def ancestor(self, record_id: str, kind: str) -> str | None: ...
    def records_using(self, term: str, question: str) -> list[str]: ...
    def body_of(self, record_id: str) -> str: ...
