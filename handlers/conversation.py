"""Conversations: each turn is answered with the topic of the turns before it.

A conversation (``Query.conversation``: one LINE user in a chat or group, a Slack DM or thread, a
terminal or web session) keeps, for 30 minutes by default, the record last answered, what was asked
about it, and the list last shown. Turn by turn:

- 「ほかには？」「次」 after a list show its next items; 「2番目の」 answers that item;
- a follow-up (``handlers.followup``) is rewritten with the topic's name and answered;
- a follow-up with no topic to follow asks politely which one is meant, offering the recent topics;
- a question naming a topic of its own is answered as it is: the new topic wins.

Suggestions then offer what has not yet been asked about the current topic. The state is plain JSON
in the store (``store.conversations``), keyed by channel and keyed user hash, never a raw id.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, Field, ValidationError

from handlers import followup, texts
from handlers.corpus import Corpus
from handlers.reply import MAX_SUGGESTIONS, Query, Reply
from handlers.suggest import label_of
from nlp import dialect
from nlp.analyze import analyze
from nlp.cues import _MEASURE_REF
from nlp.intent import detect, is_english
from nlp.normalize import compact, normalize
from nlp.years import find_years

log = logging.getLogger("strategy_bot.answer")

PAGE = 5  # list items shown per 「ほかには？」
_RECENT = 4


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


def _aspect_suggestions(label: str, asked: list[str], kind: str) -> list[str]:
    """Questions about the current topic that have not been asked yet."""
    if kind == "kpi":
        offers = [
            ("target", "の目標は？"),
            ("baseline", "の基準値は？"),
            ("latest", "の実績は？"),
            ("policy", "に関する取組は？"),
        ]
    elif kind == "glossary":
        offers = [("policy", "に関する取組は？")]
    elif kind == "policy":
        offers = [("detail", "について詳しく")]
    else:
        return []
    out = []
    for aspect, tail in offers:
        if aspect not in asked:
            q = label + tail
            out.append(q if len(q) <= 20 else tail.lstrip("にのつい").replace("関する", "関連する"))
    return out


def _ask_which(memory: Memory, key: str, topic: Topic, ttl: float, text: str, examples: list[str]) -> Reply:
    """Ask which topic a follow-up means, and keep the follow-up: the next turn that names one
    (「あ、出生数のことです」) gets the follow-up's answer about it."""
    topic.pending = text
    _save(memory, key, topic, ttl)
    return _clarify(topic, examples, english=is_english(normalize(text)))


def _clarify(topic: Topic, examples: list[str], *, english: bool = False) -> Reply:
    """Which topic is meant, asked in the question's language (「what about the baseline?」 in
    English), offering the recent topics or examples."""
    if english:  # the recent topics' labels are Japanese: English examples instead
        return Reply(
            kind="clarify", answered=False, text=texts.CLARIFY_EN, suggestions=list(texts.EXAMPLES_EN)
        )
    recent = [f"{r}の目標は？" if len(r) <= 15 else r for r in topic.recent[:3]]
    return Reply(
        kind="clarify", answered=False, text=texts.CLARIFY, suggestions=(recent or examples)[:MAX_SUGGESTIONS]
    )


def _name(pipeline: Answering, record: str) -> str:
    """How a list names one of its items."""
    return label_of(pipeline.corpus, pipeline.kind_of(record), record) or record


def _others_of_list(topic: Topic, pipeline: Answering) -> Reply:
    """The list's other items, after one of them was answered."""

    lines = ["ほかには、次の項目があります："]
    lines += [f"{i + 1}. {_name(pipeline, r)}" for i, r in enumerate(topic.items) if r != topic.record]
    lines.append("番号（「2番目の」など）や名前で聞いてください。")
    rest = [_name(pipeline, r)[:20] for r in topic.items if r != topic.record]
    return Reply(kind="help", answered=True, text="\n".join(lines[:12]), suggestions=rest[:MAX_SUGGESTIONS])


_EACH_ASPECTS = ("target", "baseline", "latest", "unit", "deadline", "year")
_EACH_MAX = 4  # the cards of a longer list would not fit one reply


def _asks_of_each(topic: Topic, pipeline: Answering, text: str) -> bool:
    """「基準値は？」「その目標は？」 right after a short list of KPIs shown as a list of its own: the
    aspect asked of each of them."""
    if not topic.list_only or not 1 <= len(topic.items) <= _EACH_MAX:
        return False
    if followup.aspect_of(text) not in _EACH_ASPECTS or not followup.names_nothing(followup.bare(text)):
        return False
    return all(pipeline.kind_of(r) == "kpi" for r in topic.items)


def _each_of_list(topic: Topic, pipeline: Answering, query: Query) -> Reply:
    """Each listed KPI's card, in the list's order; the list stays the topic (「2番目の」)."""
    if len(topic.items) == 1:
        return pipeline.answer_record(topic.items[0], query) or _clarify(topic, [])
    cards = [pipeline.answer_record(r, query) for r in topic.items]
    shown = [c for c in cards if c is not None and c.answered]
    return Reply(
        kind="kpi_list",
        answered=bool(shown),
        text="\n\n".join(c.text for c in shown),
        source=shown[0].source if shown else None,
        kpis=[f for c in shown for f in c.kpis],
        suggestions=[_name(pipeline, r)[:20] for r in topic.items][:MAX_SUGGESTIONS],
        data={"items": list(topic.items)},
    )


def _nothing_more(topic: Topic) -> Reply:
    """「ほかには？」 when nothing else answers the question and nothing follows the record."""
    suggestions = _aspect_suggestions(topic.label or "", topic.asked, topic.kind or "") if topic.label else []
    return Reply(
        kind="help",
        answered=False,
        text="この戦略には、ほかに当てはまる項目は見当たりませんでした。別の言葉でも聞いてみてください。",
        suggestions=suggestions[:MAX_SUGGESTIONS],
    )


def _list_page(topic: Topic, pipeline: Answering, start: int) -> Reply:
    page = topic.items[start : start + PAGE]
    if not page:
        text = f"一覧はこれで全部です（{len(topic.items)}件）。番号（「2番目の」など）でも聞けます。"
        names = [_name(pipeline, r) for r in topic.items[:PAGE]]
        return Reply(kind="help", answered=False, text=text, suggestions=[n[:20] for n in names])
    lines = [f"続きです（{start + 1}〜{start + len(page)}件目／{len(topic.items)}件）："]
    lines += [f"{start + i + 1}. {_name(pipeline, r)}" for i, r in enumerate(page)]
    lines.append("番号（「2番目の」など）や名前で聞いてください。")
    return Reply(
        kind="help",
        answered=False,
        text="\n".join(lines),
        suggestions=[_name(pipeline, r)[:20] for r in page],
    )


def turn(
    pipeline: Answering,
    memory: Memory,
    query: Query,
    *,
    ttl: float,
    examples: list[str],
) -> Reply:
    """Answer one turn of the conversation ``query.conversation`` with ``answer``."""
    key = query.conversation or ""
    try:
        topic = Topic.model_validate(memory.get(key) or {})
    except (ValidationError, TypeError):
        topic = Topic()  # a state from an older version: start afresh
    text = dialect.standard(query.text.strip())  # 「きじゅんちは？」「どぎゃんハウス？」 as written plainly
    if dialect.new_topic(query.text):
        topic = _new_topic(topic)  # 「話変わるけど、…」: nothing of the last topic is followed
    if topic.pending:
        text = followup.restated(text)  # the answer to 「どの項目？」
    asked_text = text
    if followup.is_next(text) and topic.shown >= len(topic.items) and topic.record:
        other = followup.is_other(text)
        if other and topic.record in topic.items and len(topic.items) > 1:
            return _others_of_list(topic, pipeline)  # 「その①は？」「ほかには？」: the rest of the list
        if other and topic.clipped:
            reply = pipeline.detail(topic.record, query)  # the part of the record not shown yet
            if reply is not None:
                topic.clipped = False
                _save(memory, key, topic, ttl)
                return reply
        following, runner_up = _following(topic, pipeline, other=other)
        reply = pipeline.answer_record(following, query) if following else None
        if reply is not None:
            question, seen = topic.question, topic.seen
            _remember(topic, reply, pipeline, text)
            topic.question, topic.seen = (question, [*seen, following]) if runner_up else (None, [])
            _save(memory, key, topic, ttl)
            return reply
        if not topic.items:
            return _nothing_more(topic)
    if followup.is_next(text) and not topic.items:
        return _ask_which(memory, key, topic, ttl, text, examples)  # 「ほかには？」 with no list: which one?
    if followup.is_next(text):
        reply = _list_page(topic, pipeline, topic.shown)
        topic.shown = min(len(topic.items), topic.shown + PAGE)
        _save(memory, key, topic, ttl)
        return reply
    reply = None
    free = False  # a question of its own, answered by ranking
    text = asked_text = _up_to(_in_goal(text, topic, pipeline.corpus), topic, pipeline)
    n = followup.nth(text)
    listed = topic.items
    if n is not None and topic.picked_from and followup.counts_on(text) and not followup.points_back(text):
        listed = topic.picked_from  # 「2つ目をもっと詳しく」「3つ目は？」: the same list, on
    numbered = followup.numbered_kind(text) if n is not None else None
    if numbered is not None:  # 「2番目のは何のプロジェクト？」: the projects, whatever the last list was
        rows = pipeline.corpus.projects if numbered == "projects" else pipeline.corpus.goals
        every = [row["id"] for row in rows]
        listed = listed if set(listed) <= set(every) and listed else every
    if n is not None and not listed and topic.kind == "kpi" and topic.record and _INDICATORS.search(text):
        listed = _kpis_beside(pipeline.corpus, topic.record)  # 「3つ目の指標は？」 after one KPI: its 施策's
    picked: list[str] = []
    if n == followup.LAST:
        n = len(listed) or None
    if n is not None and 1 <= n <= len(listed):
        chosen = listed[n - 1]
        picked = list(listed)
        asks = followup.nth_asks(text)
        label = label_of(pipeline.corpus, pipeline.kind_of(chosen), chosen) if asks else None
        if followup.aspect_of(text) == "detail":  # 「3つ目詳しく」: that item's fuller text
            reply = pipeline.detail(chosen, query)
        elif asks and label:  # 「4つ目のKPIは？」: asked of that item
            asked_text = label + asks
            reply = pipeline.answer_one(query.model_copy(update={"text": asked_text}))
            reply = reply if reply.answered else None
        reply = reply or pipeline.answer_record(chosen, query)  # 「2番目の」「その③は？」
    elif n is not None and not topic.items:
        return _ask_which(memory, key, topic, ttl, text, examples)
    elif _asks_of_each(topic, pipeline, text):
        reply = _each_of_list(topic, pipeline, query)  # 「基準値は？」 after a goal's 数値目標 (two KPIs)
    elif (again := _in_another_year(text, topic)) is not None and (
        (alone := pipeline.answer_one(query.model_copy(update={"text": again}))).answered
    ):
        # 「平成30年は？」 after a figure quoted from the text for 平成29年: the same question, that year
        reply, asked_text, free = alone, again, True
    else:
        text = followup.in_first_term(followup.carry_year(text, topic.year), topic.first_term, topic.year)
        if topic.kind == "goal" and followup.names_nothing(followup.bare(text)):
            text = re.sub(r"(?<!数値)目標", "数値目標", text, count=1)  # 「その目標は？」 of a 基本目標
        # the aspect 「じゃあ障がいのある人の就労は？」 asks of another topic: the last one that can be
        aspect = followup.phrased_aspect([*topic.asked, topic.aspect or ""]) or topic.aspect
        label, label_en = _figures_topic(topic, pipeline, text)
        rewritten = followup.rewrite(text, label, aspect, label_en)
        if topic.kind == "kpi" and topic.record and followup.asks_other_kpis(text):
            rewritten = _other_kpis_question(pipeline.corpus, topic.record) or rewritten
        if rewritten is None and topic.kind == "kpi" and followup.within_label(text, topic.label):
            rewritten = f"{topic.label}について、{text}"  # 「元気ってどういう基準？」 of 元気な高齢者の割合
        if rewritten is not None:
            asked_text = rewritten
        elif followup.needs_topic(text) and not topic.label:
            alone = pipeline.answer_one(query.model_copy(update={"text": text}))
            # (an overview section answers 「その目標は？」 loosely, unless the strategy itself is
            # asked about: 「そんなら今の戦略はいつまでね？」)
            itself = alone.kind == "overview" and detect(normalize(text)).about_strategy
            named = alone.data.get("ranked") == "named" and alone.kind != "overview"
            if not (alone.answered and (named or itself)):
                return _ask_which(memory, key, topic, ttl, text, examples)
            reply, free = alone, True  # 「しゅっせいすうの目標」: named by its reading after all
        else:
            free = True
        if followup.aspect_of(text) == "detail" and topic.record and asked_text != text:
            reply = pipeline.detail(topic.record, query)  # 「もっと詳しく」: the same record's fuller text
    if reply is None and free and topic.kind in ("promotion", "overview", "measure", "item"):
        other = followup.sibling(text, topic.label)  # 「じゃあ県とは？」 after 「国との連携」
        if other is not None:
            found = pipeline.answer_one(query.model_copy(update={"text": other}))
            if (
                found.answered
                and found.data.get("ranked") == "named"
                and found.data.get("record") != topic.record
            ):
                reply, asked_text = found, other
    if reply is None:
        reply = pipeline.answer_one(query.model_copy(update={"text": asked_text}))
        if free and topic.label and topic.record and topic.kind != "review":
            # (a first-term review's name would make any question one about the first term)
            within, about_topic = _about_topic(pipeline, query, topic, text, reply)
            if within is not None:
                reply, asked_text = within, about_topic
        if (
            free
            and topic.kind == "overview"
            and reply.data.get("ranked") != "named"
            and reply.kind != "overview"
        ):
            # 「この戦略っていつまで？」「何の法律に基づいて作ったの？」: still about the strategy itself
            retry = pipeline.answer_one(query.model_copy(update={"text": "この総合戦略は" + asked_text}))
            reply = retry if retry.answered else reply
        if not reply.answered and topic.record and _DETAIL_FIRST.match(text):
            # 「もっと詳しく。何から何に変えるって？」 answered by nothing on its own: the fuller text
            reply = pipeline.detail(topic.record, query) or reply
    _remember(topic, reply, pipeline, asked_text)
    topic.picked_from = picked if reply.answered else []
    record = reply.data.get("record") if reply.answered else None
    topic.question, topic.seen = (asked_text, [str(record)]) if free and record else (None, [])
    pending, topic.pending = topic.pending, None
    if (
        pending
        and free
        and record
        and topic.label
        and followup.nth(pending) is None
        and not followup.is_next(pending)
    ):
        # 「その目標は？」「どの項目？」「出生数のことです」: the follow-up, about the topic now named
        _save(memory, key, topic, ttl)
        return turn(pipeline, memory, query.model_copy(update={"text": pending}), ttl=ttl, examples=examples)
    if topic.label and reply.answered and not text.isascii():  # English replies suggest in English
        kind = "kpi" if reply.kind == "kpi" and reply.kpis else reply.kind
        extra = _aspect_suggestions(topic.label, topic.asked, kind)
        reply.suggestions = list(dict.fromkeys([*extra, *reply.suggestions]))[:MAX_SUGGESTIONS]
    _save(memory, key, topic, ttl)
    return reply


_YEAR_ONLY = re.compile(
    r"(じゃあ|では|で)?[、,\s]*(?:[^?？。、]{0,6}の)?(?P<year>(平成|令和)\s*[0-9]{1,2}\s*年度?|20[0-9]{2}\s*年度?)"
    r"(は|の(数字|数|値)は)?[?？]*"
)
_YEAR_SAID = re.compile(r"(平成|令和)\s*[0-9]{1,2}\s*年度?|20[0-9]{2}\s*年度?")


def _in_another_year(text: str, topic: Topic) -> str | None:
    """The last question asked again for the year a bare 「平成30年は？」「地震の年の平成28年は？」
    names, when the last answer was a passage of text quoted for a year (a KPI's years are its own)."""
    said = _YEAR_ONLY.fullmatch(text.strip())
    if said is None or not topic.question or topic.kind == "kpi" or not _YEAR_SAID.search(topic.question):
        return None
    return _YEAR_SAID.sub(said.group("year"), topic.question, count=1)


_DETAIL_FIRST = re.compile(r"^(もっと|詳しく|くわしく)[^?？。、,]{0,10}[。、,!！\s]+\S")
_INDICATORS = re.compile(r"指標|kpi|数値目標|\bindicators?\b", re.IGNORECASE)


def _kpis_beside(corpus: Corpus, kpi_id: str) -> list[str]:
    """The KPIs listed with ``kpi_id``: its 施策's in document order, or its goal's 数値目標."""
    row = corpus.by_id.get(kpi_id) or {}
    if row.get("measure_id"):
        return [k["id"] for k in corpus.kpis_of_measure(row["measure_id"])]
    goal = row.get("goal_id")
    return [k["id"] for k in corpus.kpis_of_goal(goal) if k["kind"] == "numeric_target"] if goal else []


def _new_topic(topic: Topic) -> Topic:
    """The topic after 「話変わるけど」: only the recent topics' names are kept (for 「どの項目？」)."""
    return Topic(recent=topic.recent)


SURE_ON_ITS_OWN = 0.6  # a follow-up answered this confidently by itself is a question of its own


def _about_topic(
    pipeline: Answering, query: Query, topic: Topic, text: str, reply: Reply
) -> tuple[Reply | None, str]:
    """「増えた理由は？」「市はどう対策しとるとですか」 after a KPI: a question whose words name no record
    of their own is asked about the topic; its answer is taken when it stays within the topic's
    family and fits at least as well as the question on its own."""
    about_topic = f"{topic.label}について、{text}"
    if topic.kind == "glossary" and reply.data.get("ranked") != "named":
        used = _where_term_is_used(pipeline, query, topic, text, reply)
        if used is not None:
            return used, about_topic
    if reply.answered and reply.data.get("ranked") != "described":
        return None, about_topic  # a record named outright, or found by its reference (第3回)
    if reply.kind not in ("fallback", "policy", "overview", "glossary", "kpi", "committee") and not (
        _figure_of_the_kpi(topic, text, reply)
    ):
        return None, about_topic  # declined for what it asks (a fee, a phone number)
    if reply.kind == "fallback" and not _asks_aspect(text):
        return None, about_topic  # nothing it asks is known (「どこ？でんわばんごう」): a decline stands
    verbs_only = followup.names_no_thing(text)  # 「増えた理由は？」: what happened, not to what
    if reply.answered:
        if pipeline.related(str(reply.data.get("record") or ""), topic.record or ""):
            return None, about_topic  # answered within the topic already
        why_of_kpi = topic.kind == "kpi" and detect(normalize(text)).reason  # 「達成できなかった要因は？」
        # 「誘致のために市は何しよるん」 after 企業立地件数: what the city does, asked in a word other
        # records share (MICE誘致), is asked of the topic when its family answers as well
        policy_of_topic = followup.aspect_of(text) == "policy"
        sure = (reply.confidence or 0.0) >= SURE_ON_ITS_OWN
        said = _said_by_topic(pipeline, topic, text)  # 「相談はどこに？」: the topic's own text says it
        if not verbs_only and not why_of_kpi and not policy_of_topic and not said and sure:
            return None, about_topic  # 「期間は何年間？」: a question of its own, answered well
    else:
        said = False
    within = pipeline.answer_one(query.model_copy(update={"text": about_topic}))
    record = str(within.data.get("record") or "")
    if not within.answered or not record or not pipeline.related(record, topic.record or ""):
        return None, about_topic
    if reply.answered and _says_more(pipeline, text, str(reply.data.get("record") or ""), record):
        return None, about_topic  # 「特別公開のことは？」: the record on its own says it, the topic's not
    if (
        reply.answered
        and not verbs_only
        and not said
        and (within.confidence or 0.0) < (reply.confidence or 0.0)
    ):
        return None, about_topic
    return within, about_topic


def _says_more(pipeline: Answering, text: str, own: str, within: str) -> bool:
    """The record found for the question on its own says all its topic words; the topic's does not."""
    words = _topic_words(text)
    if not words or not own:
        return False
    own_body, within_body = pipeline.body_of(own), pipeline.body_of(within)
    return all(w in own_body for w in words) and not all(w in within_body for w in words)


def _topic_words(text: str) -> list[str]:
    """The question's topic words as it writes them, a compound noun whole (特別公開, not 特別 and 公開),
    other words by their lemma."""
    analyzed = analyze(text)
    topic = set(analyzed.lemmas)
    words: list[str] = []
    run = ""
    for t in analyzed.tokens:
        is_topic = t.content and t.lemma.casefold() in topic
        if is_topic and t.pos1 in ("名詞", "形状詞", "接頭辞", "接尾辞"):
            run += t.surface
            continue
        if run:
            words.append(compact(run))
            run = ""
        if is_topic:
            words.append(t.lemma.casefold())
    if run:
        words.append(compact(run))
    return words


_POLICY_PARTS = frozenset({"item", "project_item", "project_subitem"})


def _said_by_topic(pipeline: Answering, topic: Topic, text: str) -> bool:
    """Every topic word of a short follow-up is in the topic record's own text (「相談はどこにすれば
    よかと？」 after the policy whose text names まちづくりセンター's 相談窓口)."""
    words = _topic_words(text)
    if not words or len(words) > 2 or not topic.record or topic.kind not in _POLICY_PARTS:
        return False  # (an overview section's text says 期間 too, but 「期間は？」 asks the strategy's)
    body = pipeline.body_of(topic.record)
    return all(word in body for word in words)


_MONEY = re.compile(r"いくら|円|金|料|費|\bhow much\b|\bcost")


def _other_kpis_question(corpus: Corpus, kpi_id: str) -> str | None:
    """The question listing the KPIs beside ``kpi_id``: its 施策's, or its goal's 数値目標."""
    kpi = corpus.by_id.get(kpi_id) or {}
    goal = corpus.by_id.get(kpi.get("goal_id") or "")
    if not goal:
        return None
    measure = corpus.by_id.get(kpi.get("measure_id") or "")
    if measure:
        return f"基本目標{goal['number']}の施策({measure['number']})のKPIは？"
    return f"基本目標{goal['number']}の数値目標は？"


def _figure_of_the_kpi(topic: Topic, text: str, reply: Reply) -> bool:
    """「第1期のH29はどれくらい就職できたんですか」 after a KPI, declined on its own as a figure not
    printed: the KPI's figure (not a sum of money: 「移住支援金っていくら？」 stays declined)."""
    if reply.kind != "out_of_scope" or reply.data.get("reason") not in ("figure", "year"):
        return False
    return topic.kind == "kpi" and not _MONEY.search(text.casefold())


_WHO_WHERE = re.compile(r"どこ|誰|だれ|どんな(団体|組織|会社|ところ)|何を|なにを|\b(where|who|which|what)\b")


def _where_term_is_used(
    pipeline: Answering, query: Query, topic: Topic, text: str, reply: Reply
) -> Reply | None:
    """「熊本ではどこと組んでやると？」 after 「DMOってなに？」: not the definition again, but the record
    of the strategy that uses the term and says what was asked (くまもとＤＭＣ)."""
    intent = detect(normalize(text))
    if reply.kind not in ("fallback", "glossary", "policy", "overview"):
        return None  # declined for what it asks (a fee, a phone number), or a figure found
    if intent.definition or intent.kpi or intent.kpi_word or intent.counter or intent.asks_amount:
        return None  # 「どのくらい安いの？」: the term's own definition says it
    if intent.goal_ref or intent.measure_ref or intent.project_ref or intent.years:
        return None  # a record named by its reference or a year: a question of its own
    if not (intent.policy or _WHO_WHERE.search(normalize(text))):
        return None
    if followup.topic_nouns(text) > 1:
        return None  # 「新町の古い建物が地震で壊れたのは支援あると？」: a topic of its own
    definition = pipeline.body_of(topic.record or "")
    if any(compact(w) in definition for w in followup.topic_words(text)):
        return None  # 「どこで設定されてるって？」: the definition itself says it
    if reply.answered and (reply.confidence or 0.0) >= SURE_ON_ITS_OWN and reply.kind != "glossary":
        return None  # a question of its own, answered well
    using = pipeline.records_using(topic.label or "", f"{topic.label} {text}")
    if not using:
        return None
    found = pipeline.answer_record(using[0], query.model_copy(update={"text": f"{topic.label} {text}"}))
    return found if found is not None and found.answered else None


def _asks_aspect(text: str) -> bool:
    """The question asks something a record answers: an aspect, a policy, a reason, a figure."""
    intent = detect(normalize(text))
    asked = followup.aspect_of(text) is not None or intent.policy or intent.reason or intent.kpi
    return asked or bool(_WHO_WHERE.search(normalize(text)))  # 「ほかにはどこと組んでやってるの？」


def _in_goal(text: str, topic: Topic, corpus: Corpus) -> str:
    """「施策1は？」 after 基本目標3 (or one of its 施策): the 施策 of that goal."""
    if topic.kind not in ("goal", "measure", "item") or not topic.record:
        return text
    if "基本目標" in text or not _MEASURE_REF.search(normalize(text)):
        return text
    row = corpus.by_id.get(topic.record) or {}
    if topic.kind == "goal":
        goal_id = topic.record
    elif topic.kind == "measure":
        goal_id = row.get("goal_id")
    else:  # an item: its measure's goal
        goal_id = (corpus.by_id.get(row.get("measure_id", "")) or {}).get("goal_id")
    number = corpus.goal_number(goal_id)
    return f"基本目標{number}の{followup.bare(text)}" if number else text


_PARENT = re.compile(
    r"^(?:じゃあ|では|で)?[、,\s]*(?:その|この|同じ)(プロジェクト|施策)(?![\s(（]*[0-9０-９①-⑩ⅠⅡⅢⅣ])"
)
_PARENT_KIND = {"プロジェクト": "project", "施策": "measure"}


def _up_to(text: str, topic: Topic, pipeline: Answering) -> str:
    """「そのプロジェクトではほかに何するの？」 after one of its items: asked of the project itself."""
    m = _PARENT.match(text.strip())
    if not m or not topic.record or topic.kind == _PARENT_KIND[m.group(1)]:
        return text
    parent = pipeline.ancestor(topic.record, _PARENT_KIND[m.group(1)])
    label = label_of(pipeline.corpus, _PARENT_KIND[m.group(1)], parent) if parent else None
    return label + text.strip()[m.end() :] if label else text


def _following(topic: Topic, pipeline: Answering, *, other: bool) -> tuple[str | None, bool]:
    """What 「次」 or 「ほかには？」 goes on to once no list is pending, and whether it is a runner-up
    of the last question: 「空き家の対策は？」「ほかには？」 gives the next record about 空き家; after
    one record of an ordered set (a goal, 施策(2), its ①, a meeting) the next one of the set."""
    if other and topic.question:
        alternatives = pipeline.alternatives(topic.question, topic.seen)
        if alternatives:
            return alternatives[0], True
    sequence = sequence_of(pipeline.corpus, topic.kind, topic.record or "")
    if topic.record in sequence and sequence.index(topic.record) + 1 < len(sequence):
        return sequence[sequence.index(topic.record) + 1], False
    return None, False


_POLICY_KINDS = ("goal", "measure", "item", "project", "project_item", "project_subitem")


def _figures_topic(topic: Topic, pipeline: Answering, text: str) -> tuple[str | None, str | None]:
    """The name (and English name) a follow-up is rewritten with: the topic's, or, when a figure is
    asked of a policy reached from a KPI, the KPI's."""
    kpi = topic.figures_of if topic.kind != "kpi" else None
    if kpi is None and topic.kind in ("item", "measure") and topic.record:
        kpi = _kpi_measuring(pipeline, topic)  # 「その目標は？」 after a policy: its 施策's KPI
    if kpi and followup.asks_figure_only(text):
        return label_of(pipeline.corpus, pipeline.kind_of(kpi), kpi), pipeline.corpus.english.get(kpi)
    return topic.label, topic.label_en


def _kpi_measuring(pipeline: Answering, topic: Topic) -> str | None:
    """The KPI of a policy's 施策 that the conversation's words fit best (its only one, or the one
    sharing most two-character runs with the question and the policy's name); None when none shares."""
    corpus = pipeline.corpus
    row = corpus.by_id.get(topic.record or "") or {}
    measure = topic.record if topic.kind == "measure" else row.get("measure_id")
    kpis = corpus.kpis_of_measure(measure) if measure else []
    if len(kpis) <= 1:
        return kpis[0]["id"] if kpis else None
    said = compact(normalize(f"{topic.question or ''}{topic.label or ''}"))
    runs = {said[i : i + 2] for i in range(len(said) - 1)}

    def shared(kpi: dict) -> int:
        name = compact(normalize(kpi["name"]))
        return len(runs & {name[i : i + 2] for i in range(len(name) - 1)})

    best = max(kpis, key=shared)
    return best["id"] if shared(best) > 0 else None


def _remember(topic: Topic, reply: Reply, pipeline: Answering, asked_text: str) -> None:
    corpus = pipeline.corpus
    topic.list_only = False
    record = str(reply.data.get("record") or "") if reply.answered else ""
    kind = pipeline.kind_of(record) if record else None
    items = items_of(corpus, kind, record, reply) if reply.answered else []
    if items and not record:  # a list of its own (the terms): its items, and no topic to follow
        topic.items, topic.shown, topic.list_only = items, len(items), True
        return
    if items:
        topic.items, topic.shown = items, len(items) if len(reply.text) < 600 else PAGE
    topic.clipped = bool(record) and reply.text.rstrip().endswith("…")
    years = find_years(asked_text.casefold())
    if years:
        topic.year = years[0]
    elif reply.kind == "kpi" and len(reply.kpis) == 1:
        # 「前の年は？」 right after a KPI's card: the year before its baseline
        topic.year = reply.kpis[0].baseline_year
    if not record:
        return
    aspect = followup.aspect_of(asked_text)
    if record != topic.record:
        if topic.kind == "kpi" and topic.record and kind in _POLICY_KINDS:
            topic.figures_of = topic.record
        elif not (topic.figures_of and kind in _POLICY_KINDS):
            topic.figures_of = None
        topic.record, topic.asked, topic.first_term = record, [], False
        topic.label = reply.data.get("label") or label_of(corpus, kind, record)
        topic.kind = kind
        topic.label_en = corpus.english.get(record)
        if kind == "meeting":
            topic.label_en = f"meeting no. {corpus.by_id[record]['number']}"
        if topic.label:
            topic.recent = [topic.label, *[r for r in topic.recent if r != topic.label]][:_RECENT]
    first_term_lines = any("第1期" in line for line in reply.data.get("year_lines", []))
    if followup.says_first_term(asked_text) or first_term_lines or kind == "history":
        topic.first_term = True
    elif followup.says_this_term(asked_text) or (aspect in followup.TERM_ASPECTS and not years):
        topic.first_term = False
    topic.aspect = aspect or topic.aspect
    if aspect and aspect not in topic.asked:
        topic.asked.append(aspect)


def _save(memory: Memory, key: str, topic: Topic, ttl: float) -> None:
    try:
        memory.put(key, topic.model_dump(), ttl=ttl)
    except Exception:  # the answer stands even when the topic cannot be kept
        log.exception("could not keep the conversation's topic")
