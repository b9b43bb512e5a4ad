"""Replies a conversation makes of its own: which topic is meant, a list's next page or other items,
each listed KPI's card, and suggestions of what has not been asked yet."""

from __future__ import annotations

import re

from handlers import followup, texts
from handlers.conversation.state import PAGE, Answering, Topic, sequence_of
from handlers.corpus import Corpus
from handlers.reply import MAX_SUGGESTIONS, Query, Reply
from handlers.suggest import label_of
from nlp.normalize import compact

# a topic whose name is too long for a quick reply: the aspect on its own
_WITHOUT_LABEL = {"について詳しく": "もっと詳しく", "に関する取組は？": "関連する取組は？"}


def aspect_suggestions(label: str, asked: list[str], kind: str) -> list[str]:
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
            out.append(q if len(q) <= 20 else _WITHOUT_LABEL.get(tail, tail.lstrip("にの")))
    return out


def clarify(topic: Topic, examples: list[str], *, english: bool = False) -> Reply:
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


def others_of_list(topic: Topic, pipeline: Answering) -> Reply:
    """The list's other items, after one of them was answered."""

    lines = ["ほかには、次の項目があります："]
    lines += [f"{i + 1}. {_name(pipeline, r)}" for i, r in enumerate(topic.items) if r != topic.record]
    lines.append("番号（「2番目の」など）や名前で聞いてください。")
    rest = [_name(pipeline, r)[:20] for r in topic.items if r != topic.record]
    return Reply(kind="help", answered=True, text="\n".join(lines[:12]), suggestions=rest[:MAX_SUGGESTIONS])


def rest_of_set(topic: Topic, pipeline: Answering) -> Reply | None:
    """「ほかには？」 after a complete list picked out of a larger set (the university members of the
    committee): the set's other records, in its order; None when the list was the whole set."""
    if not topic.items:
        return None
    kind = pipeline.kind_of(topic.items[0])
    whole = sequence_of(pipeline.corpus, kind, topic.items[0])
    rest = [r for r in whole if r not in topic.items]
    if not rest or not set(topic.items) <= set(whole):
        return None
    lines = ["ほかの委員は次のとおりです：" if kind == "member" else "ほかには、次の項目があります："]
    for i, r in enumerate(rest):
        about = (pipeline.corpus.by_id.get(r) or {}).get("affiliation")  # a member: where from
        lines.append(f"{i + 1}. {_name(pipeline, r)}" + (f"（{about}）" if about else ""))
    lines.append("番号（「2番目の」など）や名前で聞いてください。")
    return Reply(
        kind="help",
        answered=True,
        text="\n".join(lines[:12]),
        suggestions=[_name(pipeline, r)[:20] for r in rest][:MAX_SUGGESTIONS],
        data={"items": rest},
    )


_EACH_ASPECTS = ("target", "baseline", "latest", "unit", "deadline", "year")
_EACH_MAX = 4  # the cards of a longer list would not fit one reply


def asks_of_each(topic: Topic, pipeline: Answering, text: str) -> bool:
    """「基準値は？」「その目標は？」 right after a short list of KPIs shown as a list of its own: the
    aspect asked of each of them; also after a 施策's KPIs, listed as the 施策's (not once one of them
    was answered on its own)."""
    of_record = topic.kind != "kpi" and topic.record not in topic.items
    if not (topic.list_only or of_record) or not 1 <= len(topic.items) <= _EACH_MAX:
        return False
    if followup.aspect_of(text) not in _EACH_ASPECTS or not followup.names_nothing(followup.bare(text)):
        return False
    return all(pipeline.kind_of(r) == "kpi" for r in topic.items)


def each_of_list(topic: Topic, pipeline: Answering, query: Query) -> Reply:
    """Each listed KPI's card, in the list's order; the list stays the topic (「2番目の」)."""
    if len(topic.items) == 1:
        return pipeline.answer_record(topic.items[0], query) or clarify(topic, [])
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


def nothing_more(topic: Topic) -> Reply:
    """「ほかには？」 when nothing else answers the question and nothing follows the record."""
    suggestions = aspect_suggestions(topic.label or "", topic.asked, topic.kind or "") if topic.label else []
    return Reply(
        kind="help",
        answered=False,
        text="この戦略には、ほかに当てはまる項目は見当たりませんでした。別の言葉でも聞いてみてください。",
        suggestions=suggestions[:MAX_SUGGESTIONS],
    )


def list_page(topic: Topic, pipeline: Answering, start: int) -> Reply:
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


INDICATORS = re.compile(r"指標|kpi|数値目標|\bindicators?\b", re.IGNORECASE)


def kpis_beside(corpus: Corpus, kpi_id: str) -> list[str]:
    """The KPIs listed with ``kpi_id``: its 施策's in document order, or its goal's 数値目標."""
    row = corpus.by_id.get(kpi_id) or {}
    if row.get("measure_id"):
        return [k["id"] for k in corpus.kpis_of_measure(row["measure_id"])]
    goal = row.get("goal_id")
    return [k["id"] for k in corpus.numeric_targets_of(goal)] if goal else []


# 「どのプロジェクト？」「それはどの施策に入っとると？」: the part of the strategy the topic belongs to
_WHICH_PART = re.compile(r"(どの|何の|なんの|どこの)\s*(リーディング)?(プロジェクト|基本目標|施策)")
_PART_KIND = {"プロジェクト": "project", "基本目標": "goal", "施策": "measure"}
_SHORT = 30  # characters: a question about the topic, not one of its own


def part_it_belongs_to(topic: Topic, pipeline: Answering, query: Query, text: str) -> Reply | None:
    """The project, goal or 施策 that the topic is part of, or where a term appears; None when the
    question asks none of them or the topic belongs to none."""
    m = _WHICH_PART.search(text)
    if m is None or not topic.record or len(text) > _SHORT:
        return None
    found = pipeline.ancestor(topic.record, _PART_KIND[m.group(3)])
    return pipeline.answer_record(found, query) if found and found != topic.record else None


_SIBLING_KINDS = ("measure", "item", "project_item", "project_subitem")
_ASKED_ABOUT = re.compile(r"(について|って|とは|は|も)?(どう|どんな|何|なに)?[^一-龥ァ-ヶ]{0,8}$")


def sibling_named(topic: Topic, pipeline: Answering, query: Query, text: str) -> Reply | None:
    """「担い手の育成は？」 after the project's (1)①「スマート農業の推進」: the sibling whose own title
    the question names, rather than another record that shares its words."""
    if not topic.record or topic.kind not in _SIBLING_KINDS:
        return None
    core = compact(_ASKED_ABOUT.sub("", followup.bare(text)))
    if len(core) < 3:
        return None
    siblings = [
        rid
        for rid in sequence_of(pipeline.corpus, topic.kind, topic.record)
        if rid != topic.record and core in compact(label_of(pipeline.corpus, topic.kind, rid) or "")
    ]
    return pipeline.answer_record(siblings[0], query) if len(siblings) == 1 else None
