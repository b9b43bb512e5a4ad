"""How the topic moves: what a follow-up is rewritten with (the topic, its parent, its 施策's KPI),
what 「次」 goes on to, and what is remembered of each answer."""

from __future__ import annotations

import re

from handlers import followup
from handlers.conversation.state import PAGE, RECENT, Answering, Topic, items_of, sequence_of
from handlers.corpus import Corpus
from handlers.reply import Query, Reply
from handlers.suggest import label_of
from nlp.cues import _MEASURE_REF
from nlp.normalize import compact, normalize
from nlp.years import find_years

_YEAR_ONLY = re.compile(
    r"(じゃあ|では|で)?[、,\s]*(?:[^?？。、]{0,6}の)?(?P<year>(平成|令和)\s*[0-9]{1,2}\s*年度?|20[0-9]{2}\s*年度?)"
    r"(は|の(数字|数|値)は)?[?？]*"
)
_YEAR_SAID = re.compile(r"(平成|令和)\s*[0-9]{1,2}\s*年度?|20[0-9]{2}\s*年度?")


def in_another_year(text: str, topic: Topic) -> str | None:
    """The last question asked again for the year a bare 「平成30年は？」「地震の年の平成28年は？」
    names, when the last answer was a passage of text quoted for a year (a KPI's years are its own)."""
    said = _YEAR_ONLY.fullmatch(text.strip())
    if said is None or not topic.question or topic.kind == "kpi" or not _YEAR_SAID.search(topic.question):
        return None
    return _YEAR_SAID.sub(said.group("year"), topic.question, count=1)


def new_topic(topic: Topic) -> Topic:
    """The topic after 「話変わるけど」: only the recent topics' names are kept (for 「どの項目？」)."""
    return Topic(recent=topic.recent)


def other_kpis_question(corpus: Corpus, kpi_id: str) -> str | None:
    """The question listing the KPIs beside ``kpi_id``: its 施策's, or its goal's 数値目標."""
    kpi = corpus.by_id.get(kpi_id) or {}
    goal = corpus.by_id.get(kpi.get("goal_id") or "")
    if not goal:
        return None
    measure = corpus.by_id.get(kpi.get("measure_id") or "")
    if measure:
        return f"基本目標{goal['number']}の施策({measure['number']})のKPIは？"
    return f"基本目標{goal['number']}の数値目標は？"


def in_goal(text: str, topic: Topic, corpus: Corpus) -> str:
    """「施策1は？」 after 基本目標3 (or one of its 施策, or a KPI of either): the 施策 of that goal."""
    if topic.kind not in ("goal", "measure", "item", "kpi") or not topic.record:
        return text
    if "基本目標" in text or not _MEASURE_REF.search(normalize(text)):
        return text
    row = corpus.by_id.get(topic.record) or {}
    if topic.kind == "goal":
        goal_id = topic.record
    else:  # a 施策, or an item or KPI of one (or a goal's 数値目標): its goal
        goal_id = row.get("goal_id") or (corpus.by_id.get(row.get("measure_id") or "") or {}).get("goal_id")
    number = corpus.goal_number(goal_id)
    return f"基本目標{number}の{followup.bare(text)}" if number else text


_PARENT = re.compile(
    r"^(?:じゃあ|では|で)?[、,\s]*(?:その|この|同じ)(プロジェクト|施策)(?![\s(（]*[0-9０-９①-⑩ⅠⅡⅢⅣ])"
)
_PARENT_KIND = {"プロジェクト": "project", "施策": "measure"}


def up_to(text: str, topic: Topic, pipeline: Answering) -> str:
    """「そのプロジェクトではほかに何するの？」 after one of its items: asked of the project itself."""
    m = _PARENT.match(text.strip())
    if not m or not topic.record or topic.kind == _PARENT_KIND[m.group(1)]:
        return text
    parent = pipeline.ancestor(topic.record, _PARENT_KIND[m.group(1)])
    label = label_of(pipeline.corpus, _PARENT_KIND[m.group(1)], parent) if parent else None
    return label + text.strip()[m.end() :] if label else text


def next_record(topic: Topic, pipeline: Answering, *, other: bool) -> tuple[str | None, bool]:
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


def figures_topic(topic: Topic, pipeline: Answering, text: str) -> tuple[str | None, str | None]:
    """The name (and English name) a follow-up is rewritten with: the topic's, or, when a figure is
    asked of a policy reached from a KPI, the KPI's."""
    kpi = topic.figures_of if topic.kind != "kpi" else None
    if kpi is None and topic.kind in ("item", "measure") and topic.record:
        kpi = _kpi_measuring(pipeline, topic)  # 「その目標は？」 after a policy: its 施策's KPI
    if kpi is None and topic.kind == "goal" and topic.record:
        # 「基準値は？」「平成29年は？」 after a goal with one 数値目標 (基本目標2: 出生数): that one's
        numeric = pipeline.corpus.numeric_targets_of(topic.record)
        kpi = numeric[0]["id"] if len(numeric) == 1 else None
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


def remember(topic: Topic, reply: Reply, pipeline: Answering, asked_text: str) -> None:
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
    # (a section's sentences chosen for the question: 「ほかには？」 gives the rest)
    topic.clipped = bool(record) and (reply.text.rstrip().endswith("…") or bool(reply.data.get("clipped")))
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
        # 「その施策(2)は？」 goes elsewhere in the strategy: no longer the policy behind the KPI
        navigated = bool(_MEASURE_REF.search(normalize(asked_text)))
        if topic.kind == "kpi" and topic.record and kind in _POLICY_KINDS and not navigated:
            topic.figures_of = topic.record
        elif navigated or not (topic.figures_of and kind in _POLICY_KINDS):
            topic.figures_of = None
        topic.record, topic.asked, topic.first_term = record, [], False
        topic.label = reply.data.get("label") or label_of(corpus, kind, record)
        topic.kind = kind
        topic.label_en = corpus.english.get(record)
        if kind == "meeting":
            topic.label_en = f"meeting no. {corpus.by_id[record]['number']}"
        if topic.label:
            topic.recent = [topic.label, *[r for r in topic.recent if r != topic.label]][:RECENT]
    first_term_lines = any("第1期" in line for line in reply.data.get("year_lines", []))
    if followup.says_first_term(asked_text) or first_term_lines or kind == "history":
        topic.first_term = True
    elif followup.says_this_term(asked_text) or (aspect in followup.TERM_ASPECTS and not years):
        topic.first_term = False
    topic.aspect = aspect or topic.aspect
    if aspect and aspect not in topic.asked:
        topic.asked.append(aspect)


_BARE_KPI = re.compile(
    # (「関連するKPIは？」「それに関係する指標は？」: the same)
    r"((それに|これに)?(関連|関係)(する|している|した|の)?)?"
    r"(kpi|ＫＰＩ|指標|数値目標)(は|って|とか|の方は|のほうは)?"
    r"(ある|あります|あると|あっと|何|なに|なん|どれ)?(です)?(か|の|ね|と)?[?？]*"
    # 「KPIは何が設定されてますか」「指標はどんなのがある？」「どんなKPIがあるの？」
    r"|(kpi|ＫＰＩ|指標|数値目標)(は|って)?(何|なに|どんな|どういう)(の)?(が|を)?"
    r"(設定|決め|定め|あ|ある|置)[^?？。]{0,10}[?？]*"
    r"|(どんな|どういう|何の)(kpi|ＫＰＩ|指標|数値目標)(が|を)?[^?？。]{0,10}[?？]*",
    re.IGNORECASE,
)


def _goal_of(corpus, topic: Topic) -> str | None:
    """The 基本目標 a 施策 or one of its items belongs to."""
    row = corpus.by_id.get(topic.record or "") or {}
    if topic.kind == "item":
        row = corpus.by_id.get(row.get("measure_id", "")) or {}
    return row.get("goal_id") if topic.kind in ("measure", "item") else None


def kpis_of_topic(topic: Topic, pipeline: Answering, query: Query, text: str) -> tuple[Reply, str] | None:
    """「KPIは？」「指標はある？」 after a policy: the KPIs measuring it (its 施策's), or those of the
    topic just before it (「UIJターンって？」「市は何をしてるの？」「KPIはある？」: the term's KPI). None when
    neither has KPIs of its own: the question is then asked as it is."""
    if topic.kind not in _POLICY_KINDS or not _BARE_KPI.fullmatch(followup.bare(text).strip()):
        return None
    kpi = label_of(pipeline.corpus, "kpi", topic.figures_of) if topic.figures_of else None
    every = len(pipeline.corpus.kpis)
    goal = _goal_of(pipeline.corpus, topic) if "数値目標" in text else None
    if goal is not None:  # 「数値目標は？」 after a 施策: 数値目標 are its 基本目標's (a 施策 has KPIs)
        asked = f"{label_of(pipeline.corpus, 'goal', goal)}の数値目標は？"
        reply = pipeline.answer_one(query.model_copy(update={"text": asked}))
        if reply.answered and reply.kind == "kpi_list":
            return reply, asked
    for label in dict.fromkeys(x for x in (kpi, topic.label, *topic.recent[:2]) if x):
        asked = f"{label}のKPIは？"
        reply = pipeline.answer_one(query.model_copy(update={"text": asked}))
        if reply.answered and reply.kind in ("kpi", "kpi_list") and 0 < len(reply.kpis) < every:
            return reply, asked
    return None
