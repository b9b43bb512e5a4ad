"""The answer pipeline: ``Answerer(db).answer(Query) -> Reply``.

1. Normalize; empty input, greetings and help are answered at once.
2. Questions about what the strategy does not cover (weather, fees, opening hours, another city,
   a year the strategy sets nothing for, a person it does not name) are declined politely.
3. Structural references (第5回, 第6条, 次回, KPI lists, 基本目標2, プロジェクトIII) go straight
   to their records.
4. Otherwise every record is ranked (``nlp.ranking``); below the confidence threshold the bot says
   it does not know, offers questions it can answer and names where to ask a person.
5. The best record's builder writes the reply; a second topic in the question becomes a suggestion.

The index is built once in ``__init__`` (and again, once, when ``strategy-bot load-data`` has rebuilt
the curated data, so new synonyms work without a restart); staff KPI actuals and staff meetings are
read per question, so staff changes show at once. ``answer`` never raises: any input gives a ``Reply``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Callable

import sqlite_utils

from handlers import (
    committee,
    conversation,
    english,
    fallback,
    glossary,
    kpi_list,
    passage,
    policy,
    suggest,
)
from handlers.bound import BoundPipeline
from handlers.choose import RecordChoice
from handlers.concepts import Concepts
from handlers.context import Context
from handlers.conversation import Memory
from handlers.corpus import Corpus, project_name
from handlers.counted import counted_asked, counting_sentence
from handlers.index_cache import load_memo, save_memo
from handlers.kpi_status import kpi_facts
from handlers.passage import states_figure
from handlers.registry import BUILDERS, about
from handlers.reply import MAX_SUGGESTIONS, MAX_TEXT, Query, Reply
from handlers.scope import DESCRIBED, ScopeRules
from handlers.suggest import question_for, related
from handlers.unanswered import record_unanswered
from handlers.vector_cache import load_vector_keys
from nlp import dialect
from nlp.analyze import analyze
from nlp.cues import ALL_GOALS, ALL_PROJECTS, NOT_THIS_STRATEGY, ONE_BY_ONE, STRATEGY_ASPECTS
from nlp.index import Doc, Index
from nlp.intent import Intent, detect, is_english, strip_refs
from nlp.normalize import compact, normalize
from nlp.ranking import Candidate, rank
from nlp.tokenize import tagger
from nlp.years import mask_years
from store.backend import Backend
from store.conversations import DEFAULT_TTL

log = logging.getLogger("strategy_bot.answer")

DEFAULT_CONTACT = "熊本市 政策局総合政策部政策企画課"
CONFIDENCE_THRESHOLD = 0.35
STANDS_OUT = 3.0  # of the best rival's score: a policy that alone fits the question's words
STANDS_OUT_PHRASE = 0.7  # the phrase strength it needs: an everyday phrase of its own, not lone words
WEAK = 0.6  # below this a described (not named) record yields to the strategy's own section
MIN_INFORMATION = 1.5  # IDF a question without any name must carry
MAX_INPUT = 2000  # characters of a question that are read at all
_WORDLIKE = re.compile(r"[0-9a-zぁ-ゖァ-ヺ一-鿿㐀-䶿]")


_KPI_ABBREVIATION = re.compile(r"(何|なん)の略|略(語|称)|日本語で|英語で|とは|stand for|abbreviation")
_KPI_ITSELF = re.compile(
    r"\bwhat (is|are|does) (a |the )?kpis?\b(?! (for|of|in|about|on)\b)|\bkpis? stands? for\b"
    r"|(?<!の)kpi(とは|って(何|なに|なん)(?!を)|って[^?？。]{1,14}(けど|けれど|が)[、,]?(何|なに|なん|どういう|どんな)"
    r"|って(どういう|どんな)(意味|こと)|の(定義|意味))"
)
_PROJECTS_WORD = re.compile(r"(リーディング)?プロジェクト|\b(leading )?projects?\b")
_RELATION_WORDS = frozenset(
    {"関係", "関連", "関する", "どんな", "支援", "取組", "何"}
)  # say nothing of a topic
_PROJECT_KINDS = ("project", "project_item", "project_subitem")
# a project's part found beside リーディングプロジェクト must fit this well, and its words be this telling
# (「出生数に関する…」 finds only the 入込数 of Project I: the list stands)
PROJECT_PART_CONFIDENCE = 0.45
PROJECT_PART_SCORE = 0.04
_WENT = re.compile(r"減|増|伸び|下が|上が|落ち|悪化|改善|届か|達成|少な|多く")
# records whose own card says what their name means (a term, the list of goals or projects, a KPI)
_NAMED_KINDS = frozenset({"glossary", "goals", "projects", "goal", "project", "kpi", "history"})
# 「My Japanese teacher said Kumamoto city wants…」: who told the asker is not what is asked
_REPORTED = re.compile(
    r"\bmy ([a-z]+ ){0,2}(teacher|friend|boss|coworker|colleague|neighbou?r|landlord|professor|sensei"
    r"|husband|wife|mother|father|mom|dad)s? (said|says|told me|tells me)( that)?\b"
)
# a count of the strategy's own parts is asked, not a figure (「How many projects…」「施策はいくつ」)
_STRUCTURE_WORD = re.compile(rf"{_PROJECTS_WORD.pattern}|基本目標|施策|\bbasic goals?\b|\bmeasures\b")
_PERIOD = "overview-7"  # the strategy's period (期間)
_A_COMMITTEE = re.compile(r"^(?!.*(要綱|会議|第[0-9]+回|rules|meeting)).*(委員会|committee)")
_STRATEGY_NAME = compact(normalize("熊本市しごと・ひと・まち創生総合戦略"))
_COMPARED = re.compile(r"違い|違う|ちがい|ちがう|比べ|比較|\bdifferen")
MEETING_PLACE = re.compile(r"(会議|委員会)の(場所|会場)|会場は|どこで(開|行|や)")
RECORDED_KINDS = ("fallback", "out_of_scope", "error")
_MEANING_EN = re.compile(r"\bmean|\bstand for|\bshort for|\babbreviat")
_COMMITTEE_KINDS = frozenset({"committee", "rules", "rule", "members", "member", "meeting", "meetings"})


class Answerer:
    """Answers questions about the strategy from the database it is given."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        contact: str = DEFAULT_CONTACT,
        memory: Memory | None = None,
        conversation_ttl: float = DEFAULT_TTL,
        unanswered_log: Backend | None = None,
    ):
        self.db = db
        self.unanswered_log = unanswered_log  # the store's backend; else the table in ``db``
        self.contact = contact or DEFAULT_CONTACT
        self.memory = memory  # conversations' topics (``store.conversations``), when kept
        self.conversation_ttl = conversation_ttl
        tagger()  # load the dictionary now, not on the first question
        self._lock = threading.Lock()
        self._pipeline = self._load(db)

    @property
    def corpus(self) -> Corpus:
        return self._pipeline.corpus

    @property
    def index(self) -> Index:
        return self._pipeline.index

    def answer(self, query: Query, *, db: sqlite_utils.Database | None = None) -> Reply:
        """Answer one question. ``db`` overrides the connection (e.g. one per server thread)."""
        conn = db if db is not None else self.db
        try:
            pipeline = self._current(conn)
            if not pipeline.index.docs:  # the database has not been built yet
                reply = fallback.error_reply(self.contact, not_loaded=True)
            elif query.conversation and self.memory is not None:
                bound = BoundPipeline(pipeline, conn)
                reply = conversation.turn(
                    bound, self.memory, query, ttl=self.conversation_ttl, examples=suggest.examples()
                )
            else:
                reply = pipeline.answer(query, conn)
        except Exception:
            log.exception("answer failed (kind of failure logged without the question text)")
            reply = fallback.error_reply(self.contact)
        reply = _bounded(reply)
        if reply.kind in RECORDED_KINDS:
            try:
                record_unanswered(self.unanswered_log or conn, query.text, query.channel, query.now)
            except Exception:
                log.exception("could not record an unanswered question")
        return reply

    def _load(self, db: sqlite_utils.Database) -> _Pipeline:
        """Build the corpus and the index from the curated tables (analyses cached in the database)."""
        built_at = _built_at(db)
        corpus = Corpus.load(db)
        index = Index(corpus.docs(), memo=load_memo(db))
        index.vector_keys = load_vector_keys(db)
        if index.memo_misses:
            save_memo(db, index.memo)
        return _Pipeline(corpus, index, self.contact, built_at)

    def _current(self, db: sqlite_utils.Database) -> _Pipeline:
        """The pipeline for the data now in the database: after ``strategy-bot load-data`` rebuilt
        it (new synonyms, corrected records) the next question uses the new data."""
        pipeline = self._pipeline
        if _built_at(db) == pipeline.built_at:
            return pipeline
        with self._lock:
            if _built_at(db) != self._pipeline.built_at:
                self._pipeline = self._load(db)
            return self._pipeline


class _Pipeline(RecordChoice, ScopeRules):
    """One consistent corpus and index, and the steps that answer a question with them."""

    def __init__(self, corpus: Corpus, index: Index, contact: str, built_at: str | None):
        self.corpus = corpus
        self.index = index
        self.contact = contact
        self.built_at = built_at
        self.passages = passage.Passages(index)
        self.concepts = Concepts(self.passages)

    def answer(self, query: Query, db: sqlite_utils.Database) -> Reply:
        reply = self._answer(query, db)
        if is_english(normalize(query.text[:MAX_INPUT])):  # asked in English: said in English
            if reply.kind in ("fallback", "out_of_scope"):
                reply = fallback.in_english(reply, self.contact)
            elif reply.answered:
                reply = english.in_english(reply, self.corpus)
        return reply

    # --- pipeline ----------------------------------------------------------------------------

    def _answer(self, query: Query, db: sqlite_utils.Database) -> Reply:
        normalized = dialect.standard(normalize(query.text[:MAX_INPUT]))
        normalized = self.index.kana_words.written(normalized)  # 「じんこうは」: 「人口は」
        if not _WORDLIKE.search(normalized):
            return fallback.help_reply(empty=True)
        intent = detect(normalized)
        if intent.greeting:
            return fallback.greeting(normalized)
        if intent.help:
            return fallback.help_reply()

        analyzed = analyze(mask_years(strip_refs(_REPORTED.sub(" ", normalized))))
        declined = self._decline_before_ranking(intent, analyzed)
        if declined is not None:
            return declined
        ctx = Context(self.corpus, self.index, db, query, analyzed, intent, None, self.contact)

        if intent.founded and not intent.prefecture:  # 「検証委員会はいつできたの」: not a meeting's date
            founded = self._stated_in_text(ctx)
            if founded is not None:
                return founded
        direct = self._structural(ctx, normalized)
        if direct is not None:
            return direct
        if not analyzed.lemmas:
            only = self._structural_only(ctx)
            if only is not None:
                return only

        candidates = rank(self.index, analyzed, intent)
        candidates, analyzed = self._kpi_as_category(candidates, analyzed, intent, normalized)
        candidates, analyzed = self._projects_on(candidates, analyzed, intent, normalized)
        ctx.analyzed = analyzed
        if not candidates:
            return self._structural_only(ctx) or self._fallback(normalized, [])
        top, second, confidence = self._choose(candidates, analyzed, intent)
        if intent.founded:
            founded = self._founding_of(ctx, top, analyzed.compact)
            if founded is not None:  # 「チェックする委員会っていつできたんですか？」
                return founded
        if top.phrase == 0 and top.topics:
            lone_char = all(len(t.lemma) == 1 for t in top.topics)
            if lone_char or sum(t.idf for t in top.topics) < MIN_INFORMATION:
                # 「数は？」「熊本」: a lone common word names nothing in particular (but 「この戦略は
                # 誰が作ったの？」 asks it of the strategy itself, and 「2016年に何人出ていった？」 a
                # figure the text prints: 出る is said as 転出)
                stated = self._stated_in_text(ctx) if intent.counter or intent.asks_amount else None
                itself = self._about_the_strategy(ctx, normalized)
                return itself or stated or self._fallback(normalized, candidates)
        reason = self._decline_after_ranking(intent, top, second, candidates)
        if reason == "now" and top.doc.group == "kpi" and self._recorded_lately(ctx, top.doc.id):
            reason = None  # staff have entered this year's actual: 「今年の出生数は？」 gets it
        if reason is not None:
            # 「when/who」, or a figure of a record only loosely described beside a question about the
            # strategy itself (「How many years does this sougou senryaku cover?」): its own section
            # (not who held a post: 「この戦略を作ったときの市長は誰？」 is not printed)
            about_itself = reason in ("when", "who") or (intent.about_strategy and not top.named)
            about_itself = about_itself and not (reason == "who" and intent.asks_chair)
            about_itself = about_itself and not intent.prefecture  # 「熊本県の総合戦略は」: not this one
            itself = self._about_the_strategy(ctx, normalized) if about_itself else None
            if itself is not None:
                return itself
        if reason == "when" and top.doc.kind not in _COMMITTEE_KINDS:
            dated = self._founding_of(ctx, top, analyzed.compact)  # 「連携中枢都市圏の協約ば結んだとはいつ」
            if dated is not None:
                return dated
        if reason in ("figure", "year"):
            stated = self._stated_in_text(ctx)  # 「宿泊者数は？」: a figure only the text prints
            if stated is not None:
                return stated
        if reason == "figure" and intent.counter and top.doc.kind == "glossary":
            # 「連携中枢都市圏は何市町村？」: the term's entry does not count it, the text using it does
            found = self.passages.counted_with([n for n, _ in top.doc.names[:3]], intent.counter)
            if found is not None:
                return passage.answer(ctx, *found)
        if reason is not None:
            return fallback.out_of_scope(reason, self.contact, related(self.corpus, candidates))
        n = counted_asked(normalized)
        if n is not None:  # 「連携中枢都市圏の3つの取組って何と何と何？」: the sentence counting them
            found = counting_sentence(
                self.passages, top.doc, n, analyzed.compact, top.exact_spans, frozenset(analyzed.lemmas)
            )
            if found is not None:
                return passage.answer(dataclasses.replace(ctx, candidate=top), *found)
        if top.owner_unexplained and second is None:
            # 「市長の任期」: the owner of what is asked is not this record's: a different question
            # (unless it asks about the strategy itself: 「策定根拠となる法律の条文は？」)
            return (
                self._about_the_strategy(ctx, normalized)
                or self._said_in_text(ctx)
                or self._fallback(normalized, candidates)
            )
        if confidence < CONFIDENCE_THRESHOLD and top.named and not top.asks_unknown:
            # the record is named outright (「SNSのSは何？」「KPIは日本語で何と言う？」): answer its
            # main card rather than decline over words about it that nothing explains
            confidence = CONFIDENCE_THRESHOLD
        if confidence < CONFIDENCE_THRESHOLD and self._stands_out(top, candidates):
            # 「30代独身、職場と家の往復で出会いがまったくないです。市って婚活の支援とかしてる？」: the
            # story's words lower the share explained, but one policy fits the asked words far better
            # than any other record
            confidence = CONFIDENCE_THRESHOLD
        if confidence < CONFIDENCE_THRESHOLD:
            only = self._structural_only(ctx) or self._about_the_strategy(ctx, normalized)
            if only is None and (intent.kpi or intent.counter or intent.asks_amount):
                only = self._stated_in_text(ctx)
            elif only is None and not (intent.asks_who or intent.asks_when or intent.years):
                only = self._said_in_text(ctx)  # 「主力の農産物ってなんって書いてある？」
            if only is not None:
                return only
            return self._fallback(normalized, candidates)

        if (
            not top.named
            and intent.about_strategy
            and (confidence < WEAK or (intent.founded and top.doc.group == "overview"))
        ):
            # 「what years does this revitalization plan cover?」: a weak match beside a question about
            # the strategy itself is the strategy's own section
            itself = self._about_the_strategy(ctx, normalized)
            if itself is not None:
                return itself
        if intent.about_strategy and not intent.committee and top.doc.kind in _COMMITTEE_KINDS:
            # 「この戦略の目的は？」「Which law is this strategy based on?」: the strategy's own section,
            # not the committee's 第1条（趣旨） nor a member who teaches law
            itself = self._about_the_strategy(ctx, normalized)
            if itself is not None:
                return itself
        if intent.about_strategy and top.doc.group == "overview" and not NOT_THIS_STRATEGY.search(normalized):
            # 「「しごと・ひと・まち」の戦略って、いつからいつまで？」: the strategy named (its name is
            # a word of 方向性) with what is asked of it; the section saying that, named as strongly
            section = self._asked_section(normalized)
            named = next((c for c in candidates[:6] if c.doc.id == section and c.named), None)
            spans = [analyzed.compact[a:b].rstrip("のはがを") for a, b in top.exact_spans]
            by_name = any(len(span) >= 4 and span in _STRATEGY_NAME for span in spans)
            if by_name and named is not None and named is not top and named.phrase >= top.phrase:
                top = named
            elif by_name and section == _PERIOD and top.doc.id != _PERIOD:
                itself = self._about_the_strategy(ctx, normalized)  # 「…の戦略って、いつからいつまで？」
                if itself is not None:
                    return itself
        ctx.candidate = top
        if intent.definition and top.doc.kind not in _NAMED_KINDS:
            # 「多核連携都市ってどういうまちのこと？」: a concept the text explains, not a glossary term
            official = {compact(normalize(top.doc.names[0][0]))} if top.doc.names else set()
            explained = self.concepts.explaining(analyzed.compact, official)
            if explained is not None:
                return passage.answer(ctx, *explained)
        measured = self._kpis_of_policy(ctx, top)
        if measured is not None:
            measured.confidence = round(confidence, 3)
            return measured
        figure_of_year = intent.kpi and bool(intent.years)  # 「人の出入りは？平成29年の数字を教えて」
        if (intent.counter or intent.asks_amount or figure_of_year) and top.doc.group in (
            "policy",
            "overview",
        ):
            # 「空き家ってどれくらいあるの？」: the record printing the figure, not the policy about it
            stated = self._stated_in_text(ctx, besides=top.doc.id)
            if stated is not None:
                return stated
        if (
            second is not None
            and top.doc.kind == second.doc.kind == "glossary"
            and _COMPARED.search(normalized)
        ):
            reply = glossary.compared(ctx, self.corpus.by_id[top.doc.id], self.corpus.by_id[second.doc.id])
            return about(reply, top.doc.id)  # 「AとBってどう違う？」: both terms
        peers = self._members_described(top, candidates, normalized)
        if peers:
            reply = committee.members_like(ctx, [self.corpus.by_id[c.doc.id] for c in peers])
            if len(peers) == 1:  # 「観光の先生っている？」: that member is the topic (「所属は？」)
                reply = about(reply, peers[0].doc.id)
            reply.confidence = round(confidence, 3)
            return reply
        went = intent.reason and _WENT.search(normalized)  # why something went as it did, not why made
        review = self._review_of(top) if went else None
        if review is not None:  # 「バスの便が減ってるのはなぜ？」: the first term's review says why
            reply = about(policy.review(ctx, review), review["id"])
        else:
            reply = about(BUILDERS[top.doc.kind](ctx, top.doc), top.doc.id)
        # (a record named outright, only when a subsidy's amount is asked: 「そのハウスにいくら補助が出る？」)
        unprinted = (intent.counter or intent.asks_amount) and not states_figure(reply.text, intent.counter)
        described = not (intent.definition or (top.named and not intent.subsidy))
        # (not a whole goal or project: 「How many projects are there and which is about farming?」)
        broad = top.doc.kind in ("goal", "project") or bool(_STRUCTURE_WORD.search(normalized))
        if unprinted and described and not broad and top.doc.group in ("policy", "overview", "glossary"):
            # 「海苔の量はどれくらい？」: the policy about it prints no such figure; declined, with the
            # policy offered (a conversation's topic may still hold it: 「described」)
            declined = fallback.out_of_scope("figure", self.contact, related(self.corpus, candidates))
            declined.data["described"] = True
            return declined
        reply.confidence = round(confidence, 3)
        # found by ranking, and whether by a name of its own (a conversation's new topic)
        reply.data.setdefault("ranked", "named" if top.named else "described")
        if second is not None:
            follow = question_for(self.corpus, second.doc)
            if follow:
                reply.suggestions = [follow, *[s for s in reply.suggestions if s != follow]]
        return reply

    def _review_of(self, top: Candidate) -> dict | None:
        """The first term's review of the 施策 a 施策 of this term (or its item) carries on."""
        if top.doc.kind not in ("measure", "item"):
            return None
        return self.corpus.review_for_measure(
            top.doc.id if top.doc.kind == "measure" else top.doc.parent or ""
        )

    def _stated_in_text(self, ctx: Context, besides: str | None = None) -> Reply | None:
        """The sentence printing the figure asked, when no table holds it (``handlers.passage``); with
        ``besides``, only one of another record than that (whose own card says what it says)."""
        found = self.passages.find(ctx, prefer=besides)
        if found is None or found[0].id == besides:
            return None
        return passage.answer(ctx, *found)

    def _founding_of(self, ctx: Context, top: Candidate, compact_question: str) -> Reply | None:
        """When the record asked about was set up: the committee's card (which dates it) for any of
        its parts when the question names a committee, not its rules or a meeting; else the sentence
        dating the founding of what the question names."""
        if top.doc.kind in _COMMITTEE_KINDS:
            committee = self.index.doc("committee")
            if committee is None or not _A_COMMITTEE.search(compact_question):
                return None
            return about(BUILDERS[committee.kind](ctx, committee), committee.id)
        names = [n for n, *_ in top.doc.names if compact(normalize(n)) in compact_question]
        found = self.passages.founding(names) if names else None
        return passage.answer(ctx, *found) if found is not None else None

    def _said_in_text(self, ctx: Context) -> Reply | None:
        """The sentence saying what was asked, when no record as a whole fits (``handlers.passage``)."""
        found = self.passages.find_statement(ctx)
        return passage.answer(ctx, *found) if found is not None else None

    def _projects_on(self, candidates: list[Candidate], analyzed, intent, normalized: str):
        """「製品化数に関係するリーディングプロジェクトは？」: リーディングプロジェクト names the kind of
        record wanted; with a topic beside it, the projects' parts about the topic are ranked."""
        if not candidates or candidates[0].doc.id != "projects" or intent.project_ref is not None:
            return candidates, analyzed
        if not _PROJECTS_WORD.search(normalized):
            return candidates, analyzed  # 「リーディングプロジュクトって何個」: the list, found by its typo
        rest = analyze(mask_years(strip_refs(_PROJECTS_WORD.sub(" ", normalized))))
        if not set(rest.lemmas) - _RELATION_WORDS:
            return candidates, analyzed  # 「リーディングプロジェクトは？」: the list itself
        ranked = [c for c in rank(self.index, rest, intent, limit=40) if c.doc.kind in _PROJECT_KINDS]
        if (
            not ranked
            or ranked[0].confidence < PROJECT_PART_CONFIDENCE
            or ranked[0].score < PROJECT_PART_SCORE
        ):
            return candidates, analyzed
        return ranked, rest

    def _kpi_as_category(
        self, candidates: list[Candidate], analyzed, intent, normalized: str
    ) -> tuple[list[Candidate], object]:
        """「農業のKPIは？」「子育て関係のKPIで保育園のは？」: KPI names the kind of record wanted, like
        指標, not the term KPI: asked with a topic beside it, the indicators about the topic are ranked."""
        if not candidates or not intent.kpi_word or _KPI_ABBREVIATION.search(normalized):
            return candidates, analyzed
        if intent.definition and _KPI_ITSELF.search(normalized):
            return candidates, analyzed  # 「What is KPI exactly?」: the term itself
        top = candidates[0]
        said = {self.index.phrases[m.phrase].compact.casefold() for m in top.matches}
        if top.doc.group == "kpi" or not any("kpi" in p for p in said):
            return candidates, analyzed
        if not [lemma for lemma in analyzed.lemmas if lemma != "kpi"]:
            return candidates, analyzed  # 「KPIとは？」: the term itself
        category = analyze(mask_years(strip_refs(re.sub("kpi", "指標", normalized))))
        # 「農業のKPIはなんですか」 asks which indicator, not what a word means
        ranked = rank(self.index, category, dataclasses.replace(intent, definition=False), limit=40)
        if ranked and self._measure_kpis(ranked[0]):
            return ranked, category  # 「子育て支援の施策のKPIは？」: the 施策's indicators
        # this strategy's indicators (not the first term's, unless it is asked for)
        kinds = ("kpi", "history") if intent.first_term else ("kpi",)
        kpis = [c for c in ranked if c.doc.kind in kinds and c.coverage >= 0.5]
        if not kpis:
            return candidates, analyzed
        # the question asks for an indicator about its topic: the best one about it is meant
        best = dataclasses.replace(kpis[0], confidence=max(kpis[0].confidence, DESCRIBED))
        return [best, *[c for c in ranked if c.doc.group != "kpi"]], category

    def _measure_of(self, c: Candidate) -> str | None:
        """The 施策 a policy record is, or is an item of; None for other records."""
        if c.doc.kind == "measure":
            return c.doc.id
        return (self.corpus.by_id.get(c.doc.id) or {}).get("measure_id") if c.doc.kind == "item" else None

    def _measure_kpis(self, c: Candidate) -> list[dict]:
        """The indicators of the 施策 a policy record is (or is an item of); none for other records."""
        measure_id = self._measure_of(c)
        return self.corpus.kpis_of_measure(measure_id) if measure_id else []

    def _kpis_of_policy(self, ctx: Context, top: Candidate) -> Reply | None:
        """「子育て支援の施策のKPIは？」「移住の取組の成果はどの指標で見るの？」: the indicators of the
        施策 the question is about (its own, or its item's)."""
        kpis = self._measure_kpis(top) if ctx.intent.kpi_word else []
        if not kpis:
            return None
        measure_id = self._measure_of(top)
        if len(kpis) == 1:
            return about(BUILDERS["kpi"](ctx, self.index.doc(kpis[0]["id"])), kpis[0]["id"])
        measure = self.corpus.by_id[measure_id]
        goal = self.corpus.goal_number(measure["goal_id"])
        return about(
            kpi_list.answer(ctx, goal=goal, status=None, numeric_only=False, measure=measure["number"]),
            measure_id,
        )

    def _structural(self, ctx: Context, normalized: str) -> Reply | None:
        intent = ctx.intent
        if intent.article_ref is not None:
            r = next((r for r in self.corpus.rules if r["number"] == intent.article_ref), None)
            if r is not None:
                return about(committee.rule(ctx, r), r["id"])
        if intent.meeting_ref is not None:
            return self._about_meeting(committee.meeting(ctx, intent.meeting_ref))
        if intent.committee and intent.years and not intent.kpi_word and not intent.founded:
            held = committee.meetings_in(ctx, intent.years, committee.months_asked(normalized))
            if held is not None:  # 「令和元年の秋にも開かれとった？」
                return self._about_meeting(held) if held.data.get("meeting") else held
        if (
            intent.next_meeting
            and not intent.founded  # 「検証委員会はいつ作られたの？」 asks when it was set up
            and (intent.committee or not _names_another_event(ctx.analyzed.lemmas))
        ):
            # 「次回の会議は？」, not 「合同就職面談会、次はいつ？」 (an event with no dates here)
            return self._about_meeting(committee.next_one(ctx))
        if intent.meeting_history and intent.committee and not intent.asks_who:
            return about(committee.history(ctx), "committee-meetings")
        if intent.committee and MEETING_PLACE.search(normalized) and intent.meeting_ref is None:
            return about(committee.history(ctx), "committee-meetings")  # where the meetings were held
        numeric_only = "数値目標" in normalized and "kpi" not in normalized
        # 「KPIは？」, and 'What are the KPIs?' (the indicators, where 'What is KPI?' asks the word)
        plural = re.search(r"\bkpis\b", normalized) and not _MEANING_EN.search(normalized)
        bare = intent.kpi_word and (plural or not intent.definition) and set(ctx.analyzed.lemmas) <= {"kpi"}
        listed = intent.wants_kpi_list or (intent.goal_ref is not None and numeric_only) or bare
        if listed and not self._names_a_kpi(ctx):
            kpi_years = {y for d in self.index.docs if d.group == "kpi" for y in d.years}
            if any(y not in kpi_years for y in intent.years):
                return fallback.out_of_scope("year", self.contact, ["KPI一覧", "戦略の期間は？"])
            return kpi_list.answer(
                ctx,
                goal=intent.goal_ref,
                status=intent.status,
                numeric_only=numeric_only,
                measure=intent.measure_ref,
            )
        if intent.list and "用語" in normalized:
            return glossary.list_terms(ctx)
        first = self._first_in_order(intent, normalized) if ONE_BY_ONE.search(normalized) else None
        doc = self.index.doc(first) if first else None
        if doc is not None:  # 「プロジェクトを1つずつ教えて」: the first; 「次」 goes on (a conversation)
            return about(BUILDERS[doc.kind](ctx, doc), doc.id)
        counted = re.search(r"(プロジェクト|基本目標)\s*[3-4三四]\s*つ", normalized)  # not プロジェクト4
        if (counted or (intent.goal_ref is None and intent.project_ref is None)) and not intent.kpi_word:
            both = re.search(r"目標|goal", normalized) and re.search(r"プロジェクト|project", normalized)
            if (
                ALL_PROJECTS.search(normalized)
                and not both
                and not self._names_one(ctx, lambda doc: doc.kind == "project")
            ):
                return about(policy.projects(ctx), "projects")  # 「プロジェクトはいくつ？」
            if ALL_GOALS.search(normalized) and not both:  # (both at once: the structure says it)
                return about(policy.goals(ctx), "goals")  # 「基本目標いくつあると？」
        return None

    def _first_in_order(self, intent: Intent, normalized: str) -> str | None:
        """The first record of the ordered set a question walks through one by one: a goal's 施策, the
        projects or the goals; None when it names no such set (or names one item already)."""
        if intent.measure_ref is not None or intent.project_ref is not None:
            return None
        if intent.goal_ref is not None and "施策" in normalized:
            goal = next((g for g in self.corpus.goals if g["number"] == intent.goal_ref), None)
            measures = self.corpus.measures_of(goal["id"]) if goal else []
            return measures[0]["id"] if measures else None
        if intent.goal_ref is None and re.search(r"プロジェクト|project", normalized):
            return self.corpus.projects[0]["id"] if self.corpus.projects else None
        if intent.goal_ref is None and re.search(r"基本目標|basic goal", normalized):
            return self.corpus.goals[0]["id"] if self.corpus.goals else None
        return None

    def _names_a_kpi(self, ctx: Context) -> bool:
        """「基本目標1施策(1)のKPI、正社員の有効求人倍率の基準値は？」: the reference only says where
        the KPI named is; its card is the answer, not the list."""
        if ctx.intent.goal_ref is None and ctx.intent.measure_ref is None:
            return False  # 「公共交通網の施策のKPI」: the 施策 named by words, its list asked
        if set(ctx.analyzed.lemmas) <= {"kpi"}:
            return False
        return self._names_one(ctx, lambda doc: doc.group == "kpi")

    def _names_one(self, ctx: Context, of: Callable[[Doc], bool]) -> bool:
        """Whether the best-ranked record is named outright and is of the kind `of` accepts:
        「健康・医療・福祉のプロジェクトってどんなの？」 names one project, so its card, not the list."""
        if not ctx.analyzed.lemmas:
            return False
        ranked = rank(self.index, ctx.analyzed, ctx.intent, limit=3)
        return bool(ranked) and of(ranked[0].doc) and ranked[0].named

    def _about_the_strategy(self, ctx: Context, normalized: str) -> Reply | None:
        """「この戦略は何の法律に基づいて作られたの？」「期間は？」: a question about the strategy itself
        that names no record is answered by the overview section saying what is asked of it."""
        if not ctx.intent.about_strategy or NOT_THIS_STRATEGY.search(normalized):
            return None
        section = self._asked_section(normalized)
        doc = self.index.doc(section) if section else None
        return about(BUILDERS[doc.kind](ctx, doc), doc.id) if doc is not None else None

    def _asked_section(self, normalized: str) -> str | None:
        """The overview section saying what a question about the strategy itself asks (期間, 経緯…)."""
        return next(
            (s for s, rx in STRATEGY_ASPECTS if rx.search(normalized) and self.index.doc(s) is not None), None
        )

    def _about_meeting(self, reply: Reply) -> Reply:
        number = (reply.data.get("meeting") or {}).get("number")
        found = next((m["id"] for m in self.corpus.meetings if m["number"] == number), None)
        return about(reply, found) if found else reply

    def _stands_out(self, top: Candidate, candidates: list[Candidate]) -> bool:
        """A policy matched by a phrase of its own, far ahead of every record not part of it."""
        if top.doc.group != "policy" or top.phrase < STANDS_OUT_PHRASE or top.asks_unknown:
            return False
        family = {top.doc.id} | self._ancestors(top.doc)
        rival = next(
            (
                c
                for c in candidates[1:]
                if c.doc.id not in family and top.doc.id not in self._ancestors(c.doc)
            ),
            None,
        )
        return rival is None or top.score >= STANDS_OUT * rival.score

    def _recorded_lately(self, ctx: Context, kpi_id: str) -> bool:
        """Whether staff have entered an actual of this 年度 (April to March), or of the last one when
        last year is asked (「去年の出生数は？」)."""
        now = ctx.query.now
        latest = kpi_facts(ctx.db, kpi_id, now.date()).latest_year
        this_year = now.year if now.month >= 4 else now.year - 1
        back = 1 if ctx.intent.last_period and not ctx.intent.current_period else 0
        return latest is not None and latest >= this_year - back

    def _structural_only(self, ctx: Context) -> Reply | None:
        """A question that is nothing but a reference: 「基本目標1は？」「プロジェクト3の概要」."""
        intent = ctx.intent
        if intent.goal_ref is not None:
            g = next((g for g in self.corpus.goals if g["number"] == intent.goal_ref), None)
            if g is not None:
                if intent.measure_ref is not None:
                    m = next(
                        (m for m in self.corpus.measures_of(g["id"]) if m["number"] == intent.measure_ref),
                        None,
                    )
                    if m is not None:
                        return about(policy.measure(ctx, m), m["id"])
                return about(policy.goal(ctx, g), g["id"])
        if intent.project_ref is not None:
            p = next((p for p in self.corpus.projects if p["number"] == intent.project_ref), None)
            if p is not None:
                return about(policy.project(ctx, p), p["id"])
        return None

    def _fallback(self, normalized: str, candidates: list[Candidate]) -> Reply:
        return fallback.fallback(self.contact, related(self.corpus, candidates), latin=is_english(normalized))


_MEETING_WORDS = frozenset(
    {"次回", "次", "会議", "開催", "予定", "開く", "いつ", "何日", "今度", "今後", "meeting", "next"}
)


def _names_another_event(lemmas: tuple[str, ...] | list[str]) -> bool:
    """The question names something besides a meeting (an event of the city the strategy lists no
    dates for)."""
    return any(lemma not in _MEETING_WORDS and len(lemma) > 1 for lemma in lemmas)


def _built_at(db: sqlite_utils.Database) -> str | None:
    try:
        row = db.execute("SELECT value FROM build_info WHERE key = 'built_at'").fetchone()
    except Exception:  # not built yet
        return None
    return row[0] if row else None


def _bounded(reply: Reply) -> Reply:
    """Enforce the reply contract whatever a builder produced."""
    text = reply.text if len(reply.text) <= MAX_TEXT else reply.text[: MAX_TEXT - 1] + "…"
    suggestions = []
    for s in reply.suggestions:
        s = s.strip()
        if s and s not in suggestions:
            suggestions.append(s[:40])
    return reply.model_copy(update={"text": text, "suggestions": suggestions[:MAX_SUGGESTIONS]})


__all__ = ["DEFAULT_CONTACT", "Answerer", "project_name", "question_for"]
