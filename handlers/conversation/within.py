"""A follow-up whose words name no record of their own, asked about the conversation's topic
(「増えた理由は？」 after a KPI, 「熊本ではどこと組んでやると？」 after a term)."""

from __future__ import annotations

import re

from handlers import followup
from handlers.conversation.state import Answering, Topic
from handlers.passage import states, states_figure
from handlers.reply import Query, Reply
from handlers.suggest import label_of
from nlp.analyze import analyze
from nlp.intent import detect
from nlp.normalize import compact, normalize

SURE_ON_ITS_OWN = 0.6  # a follow-up answered this confidently by itself is a question of its own


def ask_about_topic(
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
    counted = _count_of_topic(pipeline, query, topic, text, reply, about_topic)
    if counted is not None:
        return counted, about_topic
    if (
        reply.kind not in ("fallback", "policy", "overview", "glossary", "kpi", "committee")
        and not reply.data.get("described")  # a figure no record it was described by prints
        and not _figure_of_the_kpi(topic, text, reply)
    ):
        return None, about_topic  # declined for what it asks (a fee, a phone number)
    if reply.kind == "fallback" and not _asks_aspect(text):
        return None, about_topic  # nothing it asks is known (「どこ？でんわばんごう」): a decline stands
    verbs_only = followup.names_no_thing(text)  # 「増えた理由は？」: what happened, not to what
    policy_of_topic = followup.aspect_of(text) == "policy"
    if reply.answered:
        if pipeline.related(str(reply.data.get("record") or ""), topic.record or ""):
            return None, about_topic  # answered within the topic already
        # 「達成できなかった要因は？」 after a KPI, 「なんでそれに力を入れると？」 after a policy: its why
        why_of_topic = detect(normalize(text)).reason and (topic.kind == "kpi" or _POINTING.search(text))
        # 「誘致のために市は何しよるん」 after 企業立地件数: what the city does, asked in a word other
        # records share (MICE誘致), is asked of the topic when its family answers as well
        sure = (reply.confidence or 0.0) >= SURE_ON_ITS_OWN
        said = _said_by_topic(pipeline, topic, text)  # 「相談はどこに？」: the topic's own text says it
        if not verbs_only and not why_of_topic and not policy_of_topic and not said and sure:
            return None, about_topic  # 「期間は何年間？」: a question of its own, answered well
    else:
        said = why_of_topic = False
    within = pipeline.answer_one(query.model_copy(update={"text": about_topic}))
    record = str(within.data.get("record") or "")
    if not within.answered or not record or not pipeline.related(record, topic.record or ""):
        return None, about_topic
    if reply.data.get("described") and not states_figure(within.text, detect(normalize(text)).counter):
        return None, about_topic  # 「いくら補助が出る？」: the topic's card prints no such figure either
    if why_of_topic and record == topic.record:
        return within, about_topic  # 「なんでそれに力を入れると？」: the topic's own text says why
    if reply.answered and _says_more(pipeline, text, str(reply.data.get("record") or ""), record):
        return None, about_topic  # 「特別公開のことは？」: the record on its own says it, the topic's not
    if (
        reply.answered
        and not verbs_only
        and not said
        # 「雇用のことでほかに何をすると？」: what else is done about the topic (not 「じゃあ地震では？」)
        and not (policy_of_topic and _ELSE.search(text))
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


_ELSE = re.compile(r"ほかに|他に|そのほか|それ以外")
_NOW = re.compile(r"いま|今|現在|最新|最近|\b(now|current|latest)\b")  # 「いまの人口は？」: not printed
_MONEY = re.compile(r"いくら|円|金|料|費|\bhow much\b|\bcost")


def _figure_of_the_kpi(topic: Topic, text: str, reply: Reply) -> bool:
    """「第1期のH29はどれくらい就職できたんですか」 after a KPI, declined on its own as a figure not
    printed: the KPI's figure (not a sum of money: 「移住支援金っていくら？」 stays declined)."""
    if reply.kind != "out_of_scope" or topic.kind != "kpi":
        return False
    reason = reply.data.get("reason")
    # 「累計っていつからの件数なん？」 after 企業立地件数（累計）: when its own name's word counts from
    since = reason == "when" and any(compact(w) in compact(topic.label or "") for w in _topic_words(text))
    return (reason in ("figure", "year") or since) and not _MONEY.search(text.casefold())


def _count_of_topic(
    pipeline: Answering, query: Query, topic: Topic, text: str, reply: Reply, about_topic: str
) -> Reply | None:
    """「熊本のは何市町村で構成されとると？」 after 「連携中枢都市圏ってなに？」, declined on its own as a
    figure not printed: asked of the topic, the sentence that counts it (近隣18市町村からなる…)."""
    if reply.kind != "out_of_scope" or reply.data.get("reason") not in ("figure", "year"):
        return None
    counter = detect(normalize(text)).counter
    if topic.kind == "kpi" or not counter or _MONEY.search(text.casefold()) or _NOW.search(text):
        return None  # (a KPI's own figures are its card's; 「いくら？」 stays declined)
    within = pipeline.answer_one(query.model_copy(update={"text": about_topic}))
    return within if within.answered and states(normalize(within.text), counter) else None


_POINTING = re.compile(r"それ|その|そこ|これ|この|あれ")
_PURPOSE = re.compile(r"(何|なん|なに)の(ため|為|目的)|目的")  # 「なんのために入れると？」: why it is used
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
    if not (intent.policy or _WHO_WHERE.search(normalize(text)) or _PURPOSE.search(text)):
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


def named_within(topic: Topic, pipeline: Answering, text: str) -> str | None:
    """「そのアクセス数の単位は？」 after a list, 「そのハウスって普通のとどう違うと？」 after a policy
    that names 低コスト耐候性ハウス: the word pointed at is part of one listed item's name, or of one
    term the topic's text uses; the question asked with that name whole."""
    if not topic.record or not followup.points_back(text):
        return None
    rest = followup.bare(text)
    words = _topic_words(rest)
    word = words[0] if words else ""
    if len(word) < 2 or word not in compact(rest) or word in compact(normalize(topic.label or "")):
        return None
    corpus = pipeline.corpus
    names = [label_of(corpus, pipeline.kind_of(r), r) or "" for r in topic.items if r != topic.record]
    if not names:
        body = compact(normalize(pipeline.body_of(topic.record)))
        names = [g["term"] for g in corpus.glossary if compact(normalize(g["term"])) in body]
    named = [n for n in names if word in compact(normalize(n)) and compact(normalize(n)) != word]
    if len(named) != 1:
        return None
    at = rest.find(word)
    return rest[:at] + named[0] + rest[at + len(word) :] if at >= 0 else None
