"""One turn of a conversation: a list followed on, an item picked, a follow-up rewritten with the
topic's name, or a question of its own answered as it is."""

from __future__ import annotations

import re

from pydantic import ValidationError

from handlers import followup
from handlers.conversation.replies import (
    INDICATORS,
    asks_of_each,
    aspect_suggestions,
    clarify,
    each_of_list,
    kpis_beside,
    list_page,
    nothing_more,
    others_of_list,
    part_it_belongs_to,
    rest_of_set,
    sibling_named,
)
from handlers.conversation.state import PAGE, Answering, Memory, Topic, log, sequence_of
from handlers.conversation.topics import (
    figures_topic,
    in_another_year,
    in_goal,
    kpis_of_topic,
    new_topic,
    next_record,
    other_kpis_question,
    remember,
    up_to,
)
from handlers.conversation.within import ask_about_topic, named_within
from handlers.reply import MAX_SUGGESTIONS, Query, Reply
from handlers.suggest import label_of
from nlp import dialect
from nlp.intent import detect, is_english
from nlp.normalize import normalize

_PAREN_MARKED = ("measure", "project_item")  # records numbered (1)(2)… (their parts are ①②…)


def _ask_which(memory: Memory, key: str, topic: Topic, ttl: float, text: str, examples: list[str]) -> Reply:
    """Ask which topic a follow-up means, and keep the follow-up: the next turn that names one
    (「あ、出生数のことです」) gets the follow-up's answer about it."""
    topic.pending = text
    _save(memory, key, topic, ttl)
    return clarify(topic, examples, english=is_english(normalize(text)))


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
        topic = new_topic(topic)  # 「話変わるけど、…」: nothing of the last topic is followed
    if topic.pending:
        text = followup.restated(text)  # the answer to 「どの項目？」
    asked_text = text
    if followup.is_next(text) and topic.shown >= len(topic.items) and topic.record:
        other = followup.is_other(text)
        if other and topic.record in topic.items and len(topic.items) > 1:
            return others_of_list(topic, pipeline)  # 「その①は？」「ほかには？」: the rest of the list
        if other and topic.clipped:
            reply = pipeline.detail(topic.record, query)  # the part of the record not shown yet
            if reply is not None:
                topic.clipped = False
                _save(memory, key, topic, ttl)
                return reply
        following, runner_up = next_record(topic, pipeline, other=other)
        reply = pipeline.answer_record(following, query) if following else None
        if reply is not None:
            question, seen = topic.question, topic.seen
            remember(topic, reply, pipeline, text)
            topic.question, topic.seen = (question, [*seen, following]) if runner_up else (None, [])
            _save(memory, key, topic, ttl)
            return reply
        if not topic.items:
            return nothing_more(topic)
    if followup.is_next(text) and not topic.items:
        return _ask_which(memory, key, topic, ttl, text, examples)  # 「ほかには？」 with no list: which one?
    if followup.is_other(text) and topic.shown >= len(topic.items):
        rest = rest_of_set(topic, pipeline)  # 「大学の先生は？」「ほかには？」: the other members
        if rest is not None:
            remember(topic, rest, pipeline, text)
            _save(memory, key, topic, ttl)
            return rest
    if followup.is_next(text):
        reply = list_page(topic, pipeline, topic.shown)
        topic.shown = min(len(topic.items), topic.shown + PAGE)
        _save(memory, key, topic, ttl)
        return reply
    reply = None
    free = False  # a question of its own, answered by ranking
    text = asked_text = up_to(in_goal(text, topic, pipeline.corpus), topic, pipeline)
    n = followup.nth(text)
    listed = topic.items
    if n is not None and topic.picked_from and followup.counts_on(text) and not followup.points_back(text):
        listed = topic.picked_from  # 「2つ目をもっと詳しく」「3つ目は？」: the same list, on
    if n is not None and followup.parenthesized(text) and topic.kind in _PAREN_MARKED and topic.record:
        # 「(3)は？」 after a 施策(2) or a project's (2): its sibling (3), whose mark is the one written,
        # not the ③ of the card just shown
        listed = sequence_of(pipeline.corpus, topic.kind, topic.record)
    numbered = followup.numbered_kind(text) if n is not None else None
    if numbered is not None:  # 「2番目のは何のプロジェクト？」: the projects, whatever the last list was
        rows = pipeline.corpus.projects if numbered == "projects" else pipeline.corpus.goals
        every = [row["id"] for row in rows]
        listed = listed if set(listed) <= set(every) and listed else every
    if n is not None and not listed and topic.kind == "kpi" and topic.record and INDICATORS.search(text):
        listed = kpis_beside(pipeline.corpus, topic.record)  # 「3つ目の指標は？」 after one KPI: its 施策's
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
    elif (part := part_it_belongs_to(topic, pipeline, query, text)) is not None:
        reply = part  # 「どのプロジェクト？」: the project the topic is part of
    elif (sibling := sibling_named(topic, pipeline, query, text)) is not None:
        reply = sibling  # 「担い手の育成は？」 after (1)①: the (1)③ of that name
    elif (measured := kpis_of_topic(topic, pipeline, query, text)) is not None:
        reply, asked_text = measured  # 「KPIは？」 after a policy: the KPIs measuring it
    elif asks_of_each(topic, pipeline, text):
        reply = each_of_list(topic, pipeline, query)  # 「基準値は？」 after a goal's 数値目標 (two KPIs)
    elif (again := in_another_year(text, topic)) is not None and (
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
        label, label_en = figures_topic(topic, pipeline, text)
        rewritten = named_within(topic, pipeline, text)
        same_year = None if rewritten is not None else _same_year_of_another(topic, pipeline, query, text)
        if same_year is not None:
            rewritten, reply = same_year  # answered already: not asked again below
        rewritten = rewritten or followup.rewrite(text, label, aspect, label_en, first_term=topic.first_term)
        if topic.kind == "kpi" and topic.record and followup.asks_other_kpis(text):
            rewritten = other_kpis_question(pipeline.corpus, topic.record) or rewritten
        if same_year is not None and rewritten != same_year[0]:
            reply = None  # the question was read otherwise after all
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
            within, about_topic = ask_about_topic(pipeline, query, topic, text, reply)
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
    remember(topic, reply, pipeline, asked_text)
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
        extra = aspect_suggestions(topic.label, topic.asked, kind)
        reply.suggestions = list(dict.fromkeys([*extra, *reply.suggestions]))[:MAX_SUGGESTIONS]
    _save(memory, key, topic, ttl)
    return reply


def _same_year_of_another(
    topic: Topic, pipeline: Answering, query: Query, text: str
) -> tuple[str, Reply] | None:
    """「平成29年は？」「じゃあ企業立地件数は？」: the other KPI's figures of that year (its card gives the
    targets beside them), asked and answered, when the other is a KPI; else None."""
    if topic.aspect != "year" or topic.kind != "kpi" or topic.year is None:
        return None
    asked = followup.rewrite(text, topic.label, "year", topic.label_en, year=topic.year)
    if asked is None:
        return None
    reply = pipeline.answer_one(query.model_copy(update={"text": asked}))
    other = reply.answered and reply.kind == "kpi" and reply.data.get("record") != topic.record
    return (asked, reply) if other else None


_DETAIL_FIRST = re.compile(r"^(もっと|詳しく|くわしく)[^?？。、,]{0,10}[。、,!！\s]+\S")


def _save(memory: Memory, key: str, topic: Topic, ttl: float) -> None:
    try:
        memory.put(key, topic.model_dump(), ttl=ttl)
    except Exception:  # the answer stands even when the topic cannot be kept
        log.exception("could not keep the conversation's topic")
