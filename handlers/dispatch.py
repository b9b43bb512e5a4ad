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

from handlers import committee, fallback, glossary, kpi, kpi_list, overview, policy
from handlers.context import Context
from handlers.corpus import Corpus, project_name
from handlers.index_cache import load_memo, save_memo
from handlers.reply import MAX_SUGGESTIONS, MAX_TEXT, Query, Reply
from handlers.unanswered import record_unanswered
from nlp.analyze import Analyzed, analyze
from nlp.clauses import ask_start
from nlp.index import Doc, Index
from nlp.intent import POLICY, Intent, detect, strip_refs
from nlp.normalize import compact, normalize
from nlp.ranking import Candidate, rank
from nlp.tokenize import tagger
from nlp.years import mask_years

log = logging.getLogger("strategy_bot.answer")

DEFAULT_CONTACT = "熊本市 政策局総合政策部政策企画課"
CONFIDENCE_THRESHOLD = 0.35
KPI_COVERAGE = 0.65
DESCRIBED = 0.75  # confidence at which a KPI described in other words is taken as meant
MIN_INFORMATION = 1.5  # IDF a question without any name must carry
MAX_INPUT = 2000  # characters of a question that are read at all
_WORDLIKE = re.compile(r"[0-9a-zぁ-ゖァ-ヺ一-鿿㐀-䶿]")
_LATIN_ONLY = re.compile(r"^(?=.*[a-z])[\sa-z0-9'’.,!?\-:;()\"/&%$#@*+=<>\[\]{}_|~^`\\]+$")
MEETING_PLACE = re.compile(r"(会議|委員会)の(場所|会場)|会場は|どこで(開|行|や)")
_PLACE_SUFFIX = ("市", "町", "村", "県", "府", "都", "道", "区")
RECORDED_KINDS = ("fallback", "out_of_scope", "error")


# One builder per record kind: (context, index document) -> Reply.
BUILDERS: dict[str, Callable[[Context, Doc], Reply]] = {
    "glossary": lambda c, d: glossary.answer(c, c.corpus.by_id[d.id]),
    "kpi": lambda c, d: kpi.answer(c, c.corpus.by_id[d.id]),
    "history": lambda c, d: kpi.answer_history(c, c.corpus.by_id[d.id]),
    "goal": lambda c, d: policy.goal(c, c.corpus.by_id[d.id]),
    "goals": lambda c, d: policy.goals(c),
    "measure": lambda c, d: policy.measure(c, c.corpus.by_id[d.id]),
    "item": lambda c, d: policy.item(c, c.corpus.by_id[d.id]),
    "project": lambda c, d: policy.project(c, c.corpus.by_id[d.id]),
    "projects": lambda c, d: policy.projects(c),
    "project_item": lambda c, d: policy.project_item(c, c.corpus.by_id[d.id]),
    "project_subitem": lambda c, d: policy.project_subitem(c, c.corpus.by_id[d.id]),
    "overview": lambda c, d: overview.overview(c, c.corpus.by_id[d.id]),
    "promotion": lambda c, d: overview.promotion(c, c.corpus.by_id[d.id]),
    "committee": lambda c, d: committee.committee(c),
    "members": lambda c, d: committee.members(c),
    "member": lambda c, d: committee.member(c, c.corpus.by_id[d.id]),
    "rules": lambda c, d: committee.rules(c),
    "rule": lambda c, d: committee.rule(c, c.corpus.by_id[d.id]),
    "meetings": lambda c, d: committee.history(c),
    "meeting": lambda c, d: committee.meeting(c, c.corpus.by_id[d.id]["number"]),
    "public_comment": lambda c, d: committee.public_comment(c, c.corpus.by_id[d.id]),
}


class Answerer:
    """Answers questions about the strategy from the database it is given."""

    def __init__(self, db: sqlite_utils.Database, *, contact: str = DEFAULT_CONTACT):
        self.db = db
        self.contact = contact or DEFAULT_CONTACT
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
            if pipeline.index.docs:
                reply = pipeline.answer(query, conn)
            else:  # the database has not been built yet
                reply = fallback.error_reply(self.contact, not_loaded=True)
        except Exception:
            log.exception("answer failed (kind of failure logged without the question text)")
            reply = fallback.error_reply(self.contact)
        reply = _bounded(reply)
        if reply.kind in RECORDED_KINDS:
            try:
                record_unanswered(conn, query.text, query.channel, query.now)
            except Exception:
                log.exception("could not record an unanswered question")
        return reply

    def _load(self, db: sqlite_utils.Database) -> _Pipeline:
        """Build the corpus and the index from the curated tables (analyses cached in the database)."""
        built_at = _built_at(db)
        corpus = Corpus.load(db)
        index = Index(corpus.docs(), memo=load_memo(db))
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


class _Pipeline:
    """One consistent corpus and index, and the steps that answer a question with them."""

    def __init__(self, corpus: Corpus, index: Index, contact: str, built_at: str | None):
        self.corpus = corpus
        self.index = index
        self.contact = contact
        self.built_at = built_at

    def answer(self, query: Query, db: sqlite_utils.Database) -> Reply:
        reply = self._answer(query, db)
        if reply.kind in ("fallback", "out_of_scope") and _LATIN_ONLY.match(
            normalize(query.text[:MAX_INPUT])
        ):
            reply = fallback.in_english(reply, self.contact)
        return reply

    # --- pipeline ----------------------------------------------------------------------------

    def _answer(self, query: Query, db: sqlite_utils.Database) -> Reply:
        normalized = normalize(query.text[:MAX_INPUT])
        if not _WORDLIKE.search(normalized):
            return fallback.help_reply(empty=True)
        intent = detect(normalized)
        if intent.greeting:
            return fallback.greeting(normalized)
        if intent.help:
            return fallback.help_reply()

        analyzed = analyze(mask_years(strip_refs(normalized)))
        declined = self._decline_before_ranking(intent, analyzed)
        if declined is not None:
            return declined
        ctx = Context(self.corpus, self.index, db, query, analyzed, intent, None, self.contact)

        direct = self._structural(ctx, normalized)
        if direct is not None:
            return direct
        if not analyzed.lemmas:
            only = self._structural_only(ctx)
            if only is not None:
                return only

        candidates = rank(self.index, analyzed, intent)
        if not candidates:
            return self._structural_only(ctx) or self._fallback(normalized, [])
        top, second, confidence = self._choose(candidates, analyzed, intent)
        if top.phrase == 0 and top.topics:
            lone_char = all(len(t.lemma) == 1 for t in top.topics)
            if lone_char or sum(t.idf for t in top.topics) < MIN_INFORMATION:
                # 「数は？」「熊本」: a lone common word names nothing in particular
                return self._fallback(normalized, candidates)
        reason = self._decline_after_ranking(intent, top, second, candidates)
        if reason is not None:
            return fallback.out_of_scope(reason, self.contact, self._related(candidates))
        if top.owner_unexplained and second is None:
            # 「市長の任期」: the owner of what is asked is not this record's: a different question
            return self._fallback(normalized, candidates)
        if confidence < CONFIDENCE_THRESHOLD and top.named and not top.asks_unknown:
            # the record is named outright (「SNSのSは何？」「KPIは日本語で何と言う？」): answer its
            # main card rather than decline over words about it that nothing explains
            confidence = CONFIDENCE_THRESHOLD
        if confidence < CONFIDENCE_THRESHOLD:
            only = self._structural_only(ctx)
            if only is not None:
                return only
            return self._fallback(normalized, candidates)

        ctx.candidate = top
        peers = self._members_described(top, candidates)
        if peers:
            reply = committee.members_like(ctx, [self.corpus.by_id[c.doc.id] for c in peers])
            reply.confidence = round(confidence, 3)
            return reply
        reply = BUILDERS[top.doc.kind](ctx, top.doc)
        reply.confidence = round(confidence, 3)
        if second is not None:
            follow = question_for(self.corpus, second.doc)
            if follow:
                reply.suggestions = [follow, *[s for s in reply.suggestions if s != follow]]
        return reply

    def _choose(
        self, candidates: list[Candidate], analyzed: Analyzed, intent: Intent
    ) -> tuple[Candidate, Candidate | None, float]:
        """The record to answer with, a second topic named beside it, and the confidence."""
        top = candidates[0]
        if top.doc.kind == "glossary" and top.phrase == 0:
            # a definition is given only for a term that was named, not for words it contains
            top = next((c for c in candidates[1:] if c.doc.kind != "glossary"), top)
        top = _head_noun(top, candidates, analyzed.compact) or top
        top = self._drill_down(top, candidates)
        top = self._content_over_term(top, candidates, intent)
        top = self._policy_for_concept(top, candidates, intent, analyzed.compact)
        top = self._drill_down(top, candidates)  # the policy behind a concept: its part that says it
        second = self._second_topic(top, candidates, analyzed.compact)
        if second is None:
            return top, None, top.confidence
        if _starts_before(second, top) and (second.named or second.score >= 0.5 * top.score):
            top, second = second, top  # the topic named first is the main one
        return top, second, top.joint_confidence(second)

    def _decline_before_ranking(self, intent: Intent, analyzed: Analyzed) -> Reply | None:
        reason = None
        if intent.weather:
            reason = "weather"
        elif intent.garbage:
            reason = "garbage"
        elif intent.asks_fee:
            reason = "fee"
        elif intent.asks_hours and not intent.committee:
            reason = "hours"
        elif intent.asks_location and not intent.committee:
            reason = "location"
        elif intent.chitchat:
            reason = "chitchat"
        elif intent.procedure and not intent.committee:
            reason = "procedure"
        elif intent.asks_contact:
            reason = "contact"
        elif self._other_place(analyzed):
            reason = "other_place"
        if reason is None:
            return None
        suggestions = _examples()
        if reason == "other_place":  # the same question about Kumamoto City
            suggestions = self._related(rank(self.index, analyzed, intent))
        return fallback.out_of_scope(reason, self.contact, suggestions)

    def _other_place(self, analyzed: Analyzed) -> bool:
        """Another municipality (鹿児島市, 東京都…): a place name the strategy does not use as such."""
        tokens = analyzed.tokens
        corpus = self.index.corpus_text
        # 「福岡出身で…。Jターンって何？」: the asker's own story is not the question
        asked = ask_start(tokens, analyzed.normalized)
        for i, t in enumerate(tokens):
            if i < asked or not t.is_place:
                continue
            nxt = tokens[i + 1].surface if i + 1 < len(tokens) else ""
            if nxt in _PLACE_SUFFIX and (t.surface + nxt) not in corpus:
                return True
            if t.surface not in corpus and normalize(t.surface) not in corpus:
                return True
        return False

    def _decline_after_ranking(
        self, intent: Intent, top: Candidate, second: Candidate | None, candidates: list[Candidate]
    ) -> str | None:
        doc = top.doc
        second_kpi = next((c for c in candidates if c.doc.group == "kpi" and c.doc.id != doc.id), None)
        coverage = top.coverage if second is None else top.joint_coverage(second)
        if intent.years and doc.group == "kpi" and doc.years:
            # a KPI answers any year it has figures around (the nearest printed ones), none past them
            if any(y < min(doc.years) or y > max(doc.years) for y in intent.years):
                return "year"
        elif intent.years and any(y not in doc.years for y in intent.years):
            return "year"
        if (
            intent.asks_who
            and not intent.definition
            and not (
                doc.is_person
                or doc.group == "committee"
                or (doc.group == "overview" and intent.about_strategy)
            )
        ):
            return "who"
        if intent.asks_now and intent.kpi and doc.group not in ("kpi", "committee"):
            return "now"
        if doc.group == "kpi" and not top.named:
            # a figure answers only a question that means it and that it explains: one that names
            # the KPI, or describes it so fully that nothing else is meant (「工場やオフィスを構えた
            # 会社の数」 is 企業立地件数)
            if coverage < KPI_COVERAGE or (top.phrase == 0 and top.confidence < DESCRIBED):
                return "figure"
            if top.phrase == 0 and second_kpi is not None and second_kpi.score >= 0.8 * top.score:
                return "figure"  # 「人口は何人」 describes several KPIs about as well: none is meant
        counted = doc.group in ("policy", "glossary", "overview") or (
            doc.group == "committee" and intent.counter != "人"  # 「何人出席すれば」: 半数以上
        )
        if intent.counter and counted and not self._states(top, intent.counter):
            return "figure"  # 「移住支援金はいくら？」: the policy is there, the amount is not
        if intent.asks_when and not doc.has_dates and doc.group != "committee":
            return "when"
        return None

    def _members_described(self, top: Candidate, candidates: list[Candidate]) -> list[Candidate]:
        """Members found by a description rather than a name (「肥後銀行の委員」 fits two, one after
        the other): every member the description fits about as well as the best one."""
        if top.doc.kind != "member":
            return []
        names = {compact(n) for n, w in top.doc.names[:5]}
        if any(compact(self.index.phrases[m.phrase].text) in names for m in top.matches):
            return []  # asked by name
        return [c for c in candidates if c.doc.kind == "member" and c.score >= 0.7 * top.score]

    def _states(self, c: Candidate, counter: str) -> bool:
        """Whether the record states a figure counted in ``counter`` (円, 人, 件…)."""
        body = self.index.compact_body[c.index]
        units = {"人": "(人|名)", "%": "(%|％|割)"}.get(counter, re.escape(counter))
        return re.search(r"[0-9０-９][0-9０-９,.]*(万|千|百|億)?" + units, body) is not None

    def _structural(self, ctx: Context, normalized: str) -> Reply | None:
        intent = ctx.intent
        if intent.article_ref is not None:
            r = next((r for r in self.corpus.rules if r["number"] == intent.article_ref), None)
            if r is not None:
                return committee.rule(ctx, r)
        if intent.meeting_ref is not None:
            return committee.meeting(ctx, intent.meeting_ref)
        if intent.next_meeting:
            return committee.next_one(ctx)
        if intent.meeting_history and intent.committee and not intent.asks_who:
            return committee.history(ctx)
        if intent.committee and MEETING_PLACE.search(normalized) and intent.meeting_ref is None:
            return committee.history(ctx)  # where the meetings were held
        numeric_only = "数値目標" in normalized and "kpi" not in normalized
        bare = intent.kpi_word and not intent.definition and set(ctx.analyzed.lemmas) <= {"kpi"}
        if intent.wants_kpi_list or (intent.goal_ref is not None and numeric_only) or bare:
            kpi_years = {y for d in self.index.docs if d.group == "kpi" for y in d.years}
            if any(y not in kpi_years for y in intent.years):
                return fallback.out_of_scope("year", self.contact, ["KPI一覧", "戦略の期間は？"])
            return kpi_list.answer(ctx, goal=intent.goal_ref, status=intent.status, numeric_only=numeric_only)
        if intent.list and "用語" in normalized:
            return glossary.list_terms(ctx)
        return None

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
                        return policy.measure(ctx, m)
                return policy.goal(ctx, g)
        if intent.project_ref is not None:
            p = next((p for p in self.corpus.projects if p["number"] == intent.project_ref), None)
            if p is not None:
                return policy.project(ctx, p)
        return None

    def _fallback(self, normalized: str, candidates: list[Candidate]) -> Reply:
        return fallback.fallback(
            self.contact, self._related(candidates), latin=bool(_LATIN_ONLY.match(normalized))
        )

    def _related(self, candidates: list[Candidate]) -> list[str]:
        """Up to 3 questions the bot can answer, near the question when something partly matched."""
        out: list[str] = []
        for c in candidates[:6]:
            if c.coverage <= 0:
                continue
            q = question_for(self.corpus, c.doc)
            if q and q not in out:
                out.append(q)
        for q in _examples():
            if len(out) >= 3:
                break
            if q not in out:
                out.append(q)
        return out[:3]

    def _ancestors(self, doc: Doc) -> set[str]:
        out: set[str] = set()
        parent = doc.parent
        while parent and parent not in out:
            out.add(parent)
            node = self.index.doc(parent)
            parent = node.parent if node else None
        return out

    def _drill_down(self, top: Candidate, candidates: list[Candidate]) -> Candidate:
        """Prefer the part of a goal or project that actually says what was asked (its item about
        商店街 rather than the project whose keywords merely list 商店街)."""
        if top.doc.kind not in ("goal", "measure", "project", "project_item"):
            return top
        keywords = [
            self.index.phrases[m.phrase].compact
            for m in top.matches
            if self.index.phrases[m.phrase].weight < 0.9
        ]
        best = top
        for c in candidates[1:]:
            if top.doc.id not in self._ancestors(c.doc) or c.coverage < top.coverage - 0.05:
                continue
            says_it = bool(keywords) and all(k in self.index.compact_body[c.index] for k in keywords)
            better = c.bm25 > top.bm25 and c.score >= 0.4 * top.score
            if (says_it or better) and (best is top or c.score > best.score):
                best = c
        return best

    def _policy_for_concept(
        self, top: Candidate, candidates: list[Candidate], intent: Intent, compact_question: str
    ) -> Candidate:
        """「観光消費額の取り組みは？」「SNSに関する取り組みは？」 ask for the policy behind a KPI or a
        term: the policy record that mentions it, else the 施策 the KPI belongs to or the place the
        term's footnote is attached to."""
        if intent.definition or intent.kpi or intent.kpi_word or intent.counter or intent.years:
            return top  # a figure is asked for (a year's figure too)
        if top.doc.kind not in ("glossary", "kpi"):
            return top
        # 「バスが減って困っている」: a KPI found by what it measures, with no figure asked, stands for
        # the policy behind it; otherwise only an explicit policy cue asks for the policy
        situation = top.doc.kind == "kpi" and not top.named
        if not situation and not (intent.policy and POLICY.search(_outside_names(compact_question, top))):
            return top  # 「支援」 inside 「就労移行支援事業所」 names the KPI; it does not ask for a policy
        names = {self.index.phrases[m.phrase].compact for m in top.matches}
        names |= {compact(t) for t, w in top.doc.names if w >= 0.95}
        for c in candidates[1:]:
            if c.doc.group == "policy" and any(n and n in self.index.compact_body[c.index] for n in names):
                # the record was found through the concept: as sure as the concept itself
                return dataclasses.replace(c, confidence=max(c.confidence, top.confidence))
        row = self.corpus.by_id.get(top.doc.id, {})
        target = row.get("measure_id") or (
            self.index.by_source.get(row.get("appears_in", "")) if row else None
        )
        for c in candidates[1:]:  # the part of that policy the question matched best
            if (
                target
                and c.doc.group == "policy"
                and (c.doc.id == target or target in self._ancestors(c.doc))
            ):
                return dataclasses.replace(c, confidence=max(c.confidence, top.confidence))
        i = self.index.by_id.get(target or "")
        if i is None:
            return top
        doc = self.index.docs[i]
        return Candidate(doc, i, top.score, top.confidence, top.coverage, top.phrase, top.bm25, top.matches)

    def _content_over_term(self, top: Candidate, candidates: list[Candidate], intent: Intent) -> Candidate:
        """Without 「とは」, a record that states something about the words beats the glossary entry
        that merely names them (「人口の将来展望は」 wants the 70万人, not the definition)."""
        if top.doc.kind != "glossary" or intent.definition or not top.exact_spans:
            return top
        spans = set(top.exact_spans)
        for c in candidates[1:6]:
            if c.doc.kind == "glossary" or c.coverage < top.coverage - 1e-9:
                continue
            if spans & set(c.exact_spans) and c.phrase >= 0.9 * top.phrase:
                return c
        return top

    def _second_topic(self, top: Candidate, candidates: list[Candidate], compact: str) -> Candidate | None:
        """Another record named in the question, apart from the main one (「待機児童と観光消費額」)."""
        spans = top.exact_spans
        if not spans:
            return None
        for c in candidates[1:6]:
            if c.doc.id == top.doc.id or c.phrase < 0.7:
                continue
            other = c.exact_spans
            disjoint = bool(other) and all(e <= s2 or e2 <= s for s, e in other for s2, e2 in spans)
            if disjoint and _coordinated(top, c, compact):  # 「AとB」「A、B」: two; 「AのB」「Aを…」 one
                return c
        return None


def question_for(corpus: Corpus, doc: Doc) -> str | None:
    """A short follow-up question that answers ``doc``."""
    row = corpus.by_id.get(doc.id)
    if doc.kind == "glossary" and row:
        return f"{glossary.short(row['term'])}とは？"
    if doc.kind == "kpi" and row:
        return f"{kpi.label(row)}の目標は？"
    if doc.kind == "history" and row:
        return f"{row['name'][:14]}の実績は？"
    if doc.kind == "goal" and row:
        return f"基本目標{row['number']}は？"
    if doc.kind == "project" and row:
        return f"プロジェクト{row['numeral']}の概要"
    if doc.kind in ("measure", "item", "project_item", "project_subitem") and row:
        title = row["title"].rstrip("。")
        return title if len(title) <= 18 else title[:17] + "…"
    if doc.kind in ("overview", "promotion") and row:
        return f"{row['title'].split('～')[0].strip()[:12]}は？"
    if doc.kind == "meeting" and row:
        return f"第{row['number']}回の会議は？"
    if doc.kind == "member" and row:
        return f"{row['name'].split()[0]}委員は？"
    if doc.kind == "rule" and row:
        return f"運営要綱の{row['title']}は？"
    fixed = {
        "committee": "検証委員会とは？",
        "members": "委員は誰？",
        "rules": "運営要綱とは？",
        "meetings": "検証委員会の開催経過",
        "public_comment": "パブリックコメントの期間は？",
        "goals": "基本目標の一覧",
        "projects": "リーディングプロジェクトは？",
    }
    return fixed.get(doc.kind)


def _head_noun(top: Candidate, candidates: list[Candidate], compact: str) -> Candidate | None:
    """In 「AのB」 the question is about B: 「検証委員会の運営要綱」 asks about the 運営要綱."""
    for c in candidates[1:6]:
        if c.doc.id == top.doc.id or c.score < 0.5 * top.score:
            continue
        # 「検証委員会の…」 only frames a question about one of its parts
        needed = 0.4 if top.doc.kind == "committee" and c.doc.group == "committee" else 0.8
        if _joined_by_no(top, c, compact) and max(m.strength for m in c.matches) >= needed:
            return c
    return None


def _joined_by_no(a: Candidate, b: Candidate, compact: str) -> bool:
    """``a``'s name is followed by 「の」 and then ``b``'s name."""
    if not a.exact_spans or not b.exact_spans:
        return False
    end = max(e for _, e in a.exact_spans)
    start = min(s for s, _ in b.exact_spans)
    return start >= end and compact[end:start] in ("の", "")


def _outside_names(compact_question: str, c: Candidate) -> str:
    """The question without the parts that name ``c`` (so cue words inside a name do not count)."""
    chars = list(compact_question)
    for s, e in c.exact_spans:
        for i in range(max(s, 0), min(e, len(chars))):
            chars[i] = " "
    return "".join(chars)


# What may stand between two named topics: an aspect of the first (「出生数の目標と観光消費額」, 「…の目標は？
# 観光消費額も」) and then a coordinator or the end of a first question.
_ASPECT_OF = r"の(目標値?|基準値|実績値?|状況|進捗|進み具合|意味|取り?組み|施策|内容|数値)"
_AND = re.compile(
    r"^$"  # adjacent: compact() drops 、 and ・
    rf"|^({_ASPECT_OF})?(は|も)?(と|や|及び|および|とか|,|、|・|and|\?|？)$"  # 「AとB」「Aの目標とB」
    rf"|^{_ASPECT_OF}は$"  # 「Aの目標は？Bも」 (the question mark is dropped by compact())
)


def _coordinated(a: Candidate, b: Candidate, compact: str) -> bool:
    """The two names are joined by 「と」「や」「、」… (compact drops 、 and ・, so adjacency counts too)."""
    first, second = (a, b) if _starts_before(a, b) else (b, a)
    end = max(e for _, e in first.exact_spans)
    start = min(s for s, _ in second.exact_spans)
    between = compact[end:start]
    return start >= end and (between == "" or bool(_AND.match(between)))


def _starts_before(a: Candidate, b: Candidate) -> bool:
    return min(s for s, _ in a.exact_spans) < min(s for s, _ in b.exact_spans)


def _built_at(db: sqlite_utils.Database) -> str | None:
    try:
        row = db.execute("SELECT value FROM build_info WHERE key = 'built_at'").fetchone()
    except Exception:  # not built yet
        return None
    return row[0] if row else None


def _examples() -> list[str]:
    from handlers.texts import EXAMPLES

    return list(EXAMPLES)


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
