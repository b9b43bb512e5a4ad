"""Which record a question is about, once every record is ranked: the steps after ``rank``.

``RecordChoice`` is mixed into the answer pipeline (it uses the pipeline's ``corpus`` and ``index``):
a named term beats the words it contains, 「AのB」 is about B, a goal or project gives way to its part
that says what was asked, the policy behind a KPI or term when the policy is asked for, and a second
topic named beside the first becomes a suggestion.
"""

from __future__ import annotations

import dataclasses
import re

from handlers.committee import organization
from handlers.corpus import Corpus
from nlp.analyze import Analyzed
from nlp.cues import KPI, KPI_WORD
from nlp.index import Doc, Index
from nlp.intent import POLICY, Intent
from nlp.normalize import compact, normalize
from nlp.ranking import Candidate

FIGURE_FIT = 0.8  # confidence at which a KPI described in other words answers a figure question
EXPLAINS_OWNER = 0.6  # confidence of a record that explains a possessor the top one does not
OWNER_MARGIN = 1.3  # and how much more confident than the top one it must be
EXPLAINS_WHOLE = 0.8  # the share of the question it must explain
NAMED_PART = 0.75  # phrase strength at which a part of a goal or project is named by its own words


PERSON_NEAR = 0.8  # of the top record's score, a person's that answers 「誰が…？」 instead
HEADCOUNT_NEAR = 0.9  # the members' list beside a rule matched about as well, for 「何人」
YEAR_FIGURE_COVERAGE = 0.8  # of the question, a KPI with the year asked must explain
_HOW_IT_WENT = re.compile(r"(増え|減っ|伸び|下がっ|上がっ)た|どうだった|どうでした|どれくらいだった")


def _names_kpi_word(doc: Doc) -> bool:
    """The term is the word KPI itself (what a KPI is), which a question about a KPI also says."""
    return bool(doc.names) and bool(KPI_WORD.fullmatch(compact(normalize(doc.names[0][0]))))


PART_AS_WELL = 0.9  # of the whole's score: a part of a 施策 that fits the question as well
PART_ALONE = 1.5  # of the next part's score: the part fits alone
_ITEM_LEAD = 1.3  # of the next item's shared words: the item a KPI measures stands out


class RecordChoice:
    corpus: Corpus
    index: Index

    def _choose(
        self, candidates: list[Candidate], analyzed: Analyzed, intent: Intent
    ) -> tuple[Candidate, Candidate | None, float]:
        """The record to answer with, a second topic named beside it, and the confidence."""
        top = candidates[0]
        if intent.years and not set(intent.years) <= top.doc.years:
            # the year asked narrows the records: 「2050年の人口」 is the 人口ビジョン's, not a KPI's
            dated = next(
                (
                    c
                    for c in candidates[1:6]
                    if set(intent.years) <= c.doc.years and c.score >= 0.5 * top.score
                ),
                None,
            )
            top = dated or top
        if (
            intent.years
            and top.doc.group not in ("kpi", "committee")
            and _HOW_IT_WENT.search(analyzed.normalized)
        ):
            # 「地震の後、転入は増えたの？2017年はどうだった？」: a year's figure, though a text about
            # the year's events explains the words as well
            top = next(
                (
                    c
                    for c in candidates[1:12]
                    if c.doc.group == "kpi"
                    and set(intent.years) <= c.doc.years
                    and c.coverage >= YEAR_FIGURE_COVERAGE
                ),
                top,
            )
        if top.owner_unexplained:
            # 「市民病院は赤ちゃんの医療でどんな役割を？」: 赤ちゃん owns what is asked, and the record named
            # (市民病院における高度な医療) does not mention it; a record that explains the question
            # nearly whole (総合周産期母子医療…) answers it
            top = next(
                (
                    c
                    for c in candidates[1:6]
                    if not c.owner_unexplained
                    and c.coverage >= EXPLAINS_WHOLE
                    and c.confidence >= max(EXPLAINS_OWNER, OWNER_MARGIN * top.confidence)
                ),
                top,
            )
        if top.doc.kind == "glossary" and top.phrase == 0:
            # a definition is given only for a term that was named, not for words it contains
            top = next((c for c in candidates[1:] if c.doc.kind != "glossary"), top)
        if intent.asks_who and not top.doc.is_person:
            # 「熊本大学からは誰が入っとる？」: a person asked for, described about as well as a record
            near = [c for c in candidates[1:6] if c.score >= PERSON_NEAR * top.score]
            top = next((c for c in near if c.doc.is_person), top)
        if intent.committee and intent.counter == "人" and top.doc.kind == "rule":
            # 「検証委員って何人おると？」: how many members, printed with the members (8名), unless
            # a rule is what counts them (「何人出席すれば開ける？」 is rule 6's quorum)
            near = [c for c in candidates[1:4] if c.score >= HEADCOUNT_NEAR * top.score]
            top = next((c for c in near if c.doc.kind == "members"), top)
        if intent.definition and top.doc.kind != "glossary":
            # 「whats DMO? kumamoto DMC is a DMO?」: the term whose meaning is asked, named first
            term = next((c for c in candidates[1:8] if c.doc.kind == "glossary" and c.named), None)
            if term is not None and top.doc.group == "kpi" and _names_kpi_word(term.doc):
                term = None  # 「What is the KPI for population density?」: the word KPI asks for the figures
            if term is not None and term.exact_spans:
                # named at the same place, or the record found only by the reading of romaji in an
                # English question (「kumamoto DMC」): the term
                by_reading = not top.exact_spans and any(m.how == "reading" for m in top.matches)
                same_place = bool(top.exact_spans) and not _starts_before(top, term)
                if (intent.english and by_reading) or same_place:
                    top = term
        top = _head_noun(top, candidates, analyzed.compact) or top
        top = _referenced_whole(top, candidates, intent)
        goal = top if top.doc.kind == "goal" else None
        top = self._figure_over_text(top, candidates, intent)
        if goal is not None and top is not goal and top.doc.kind == "kpi":
            # the goal's 数値目標 asked by the goal's words: the goal explains them (not a second topic)
            return top, goal, top.joint_confidence(goal)
        top = self._drill_down(top, candidates)
        top = self._content_over_term(top, candidates, intent)
        top = self._policy_for_concept(top, candidates, intent, analyzed.compact)
        top = self._drill_down(top, candidates)  # the policy behind a concept: its part that says it
        second = self._second_topic(top, candidates, analyzed.compact)
        if second is None:
            return top, None, top.confidence
        # the topic named first is the main one, though a term named before a record is only a word
        # of the question unless its meaning is asked (「KPI『企業立地件数』の基準値は？」)
        term_only = second.doc.kind == "glossary" and top.doc.kind != "glossary" and not intent.definition
        if (
            _starts_before(second, top)
            and (second.named or second.score >= 0.5 * top.score)
            and not term_only
        ):
            top, second = second, top
        return top, second, top.joint_confidence(second)

    def _members_described(self, top: Candidate, candidates: list[Candidate], asked: str) -> list[Candidate]:
        """Members found by a description rather than a name (「肥後銀行の委員」 fits two, one after
        the other): every member the description fits about as well as the best one; those of the
        organization the question names, when it names one (「熊本大学から」, not every university's)."""
        if top.doc.kind != "member":
            return []
        names = {compact(n) for n, w in top.doc.names[:5]}
        if any(compact(self.index.phrases[m.phrase].text) in names for m in top.matches):
            return []  # asked by name
        described = {self.index.phrases[m.phrase].text for m in top.matches}
        fitting = self._fitting_members(top, candidates, described)
        said = compact(asked)
        named = [c for c in fitting if (org := organization(self.corpus.by_id[c.doc.id])) and org in said]
        return named or fitting

    def _fitting_members(
        self, top: Candidate, candidates: list[Candidate], described: set[str]
    ) -> list[Candidate]:
        return [
            c
            for c in candidates
            if c.doc.kind == "member"
            and (
                c.score >= 0.7 * top.score
                or described & {self.index.phrases[m.phrase].text for m in c.matches}
                or self._described_alike(top, c)  # 「銀行の人」: each bank's member, by names of its own
            )
        ]

    def _described_alike(self, top: Candidate, c: Candidate) -> bool:
        """``c`` has a name saying all the words the name ``top`` was matched by says (「熊本銀行の委員」
        matched as 銀行 + 委員: 「肥後銀行の委員」 says them too)."""
        wanted = [self.index.phrases[m.phrase].lemmas for m in top.matches if m.how == "lemmas"]
        own = [ph.lemmas for ph in self.index.phrases if ph.doc == c.index]
        return any(w and w <= lemmas for w in wanted for lemmas in own)

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
        titled = top.named and top.phrase >= 1.0  # named by its whole title, not by words of its text
        for c in candidates[1:]:
            if top.doc.id not in self._ancestors(c.doc):
                continue
            if self._named_part(c, top) and (best is top or c.score > best.score):
                best = c  # 「企業の本社を熊本に呼ぶ取組」: the part named by its own words, not the whole
                continue
            if c.coverage < top.coverage - 0.05 or titled:
                continue  # (「ヘルスケア産業の振興では何を？」 names (3) by its title: all of it)
            says_it = bool(keywords) and all(k in self.index.compact_body[c.index] for k in keywords)
            better = c.bm25 > top.bm25 and c.score >= 0.4 * top.score
            # a part that fits exactly as well as the whole is the more specific answer
            # (「kenkou point」: the project's keywords list 健康ポイント, its sub-item does it)
            same = c.score >= 0.98 * top.score and c.coverage >= top.coverage and c.phrase >= top.phrase
            same = same and c.confidence >= top.confidence
            better = better or same
            if (says_it or better) and (best is top or c.score > best.score):
                best = c
        return best

    def _named_part(self, part: Candidate, whole: Candidate) -> bool:
        """A part of a goal or project named by a phrase of its own, while the whole is found only by
        words of its long text (and the phrase is not one that names the whole too)."""
        if part.phrase < NAMED_PART or whole.phrase >= NAMED_PART or part.score < 0.5 * whole.score:
            return False
        spans = [(m.start, m.end) for m in whole.matches if m.how in ("exact", "partial")]
        return any(
            m.how in ("exact", "partial") and all(m.end <= s or e <= m.start for s, e in spans)
            for m in part.matches
            if m.strength >= NAMED_PART
        )

    def _policy_for_concept(
        self, top: Candidate, candidates: list[Candidate], intent: Intent, compact_question: str
    ) -> Candidate:
        """「観光消費額の取り組みは？」「SNSに関する取り組みは？」 ask for the policy behind a KPI or a
        term: the policy record that mentions it, else the 施策 the KPI belongs to or the place the
        term's footnote is attached to."""
        # (「割合」 inside 「元気な高齢者の割合に関する取組は？」 names the KPI; it asks no figure)
        # (only a KPI named outright masks its name; English cues need the spaces the compact
        # question has dropped, so they stand as detected)
        outside = _outside_names(compact_question, top) if top.named else compact_question
        english = not _JAPANESE.search(compact_question)
        figure_cue = intent.kpi and (english or bool(KPI.search(outside)))
        if (
            intent.definition
            or figure_cue
            or intent.kpi_word
            or intent.counter
            or intent.years
            or intent.asks_amount
            or (intent.reason and top.doc.kind == "kpi")
        ):
            return top  # a figure is asked for (a year's figure too), or why it went as it did
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
                c = self._its_part(c, candidates, top)
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
                c = self._its_part(c, candidates, top)
                return dataclasses.replace(c, confidence=max(c.confidence, top.confidence))
        if top.doc.kind == "kpi" and target:
            target = self._item_measured(top, target)
        i = self.index.by_id.get(target or "")
        if i is None:
            return top
        doc = self.index.docs[i]
        return Candidate(doc, i, top.score, top.confidence, top.coverage, top.phrase, top.bm25, top.matches)

    def _item_measured(self, kpi: Candidate, measure_id: str) -> str:
        """The item of a 施策 whose words a KPI's own words share most (製品化数 → ①, whose text says
        研究開発助成 and 産学官連携), when the 施策 has several KPIs, each measuring a part; else the
        施策 itself."""
        if len(self.corpus.kpis_of_measure(measure_id)) < 2:
            return measure_id
        own = self.index.doc_lemmas[kpi.index]

        def shared(item_id: str) -> float:
            i = self.index.by_id.get(item_id)
            words = own & self.index.doc_lemmas[i] if i is not None else set()
            return sum(self.index.idf.get(w, 0.0) for w in words)

        scores = sorted(
            ((shared(it["id"]), it["id"]) for it in self.corpus.items_of(measure_id)), reverse=True
        )
        if len(scores) > 1 and scores[0][0] >= _ITEM_LEAD * max(scores[1][0], 1e-9):
            return scores[0][1]
        return measure_id

    def _its_part(self, whole: Candidate, candidates: list[Candidate], concept: Candidate) -> Candidate:
        """The part of a 施策 the question fits as well as the whole (「元気な高齢者の割合について市は
        何を？」: its item about 高齢者, not the 施策's list of items), when the 施策 is measured by
        several KPIs: each measures a part of it; a 施策's only KPI measures all of it."""
        if concept.doc.kind != "kpi" or len(self.corpus.kpis_of_measure(whole.doc.id)) < 2:
            return whole
        inside = [c for c in candidates if c is not whole and whole.doc.id in self._ancestors(c.doc)]
        parts = sorted((c for c in inside if c.score >= PART_AS_WELL * whole.score), key=lambda c: -c.score)
        if not parts:
            return whole
        runner_up = next(
            (c for c in inside if c is not parts[0] and c.doc.parent == parts[0].doc.parent), None
        )
        # a part that fits alone; where several fit (農家: every item of 農水産業の振興), the whole
        alone = runner_up is None or parts[0].score >= PART_ALONE * runner_up.score
        return parts[0] if alone else whole

    def _figure_over_text(self, top: Candidate, candidates: list[Candidate], intent: Intent) -> Candidate:
        """A figure asked for (「何件まで増やす目標？」「目標何パーセント？」) is a KPI's to give: a
        policy or a term that states no such figure gives way to a KPI the question describes fully
        (「会社の誘致」 is named, but 企業立地件数 is what is counted)."""
        if top.doc.kind == "goal" and intent.counter and not intent.definition:
            # 「子どもを産み育てやすいまちって目標、年に何人生まれるのを目指しとると？」: the goal's
            # 数値目標 counted in that unit (出生数), when the question describes it too
            numeric = {
                k["id"] for k in self.corpus.numeric_targets_of(top.doc.id) if k.get("unit") == intent.counter
            }
            target = next((c for c in candidates[1:6] if c.doc.id in numeric and c.phrase > 0), None)
            if target is not None:
                return target
        if top.doc.group not in ("policy", "glossary") or not (
            intent.counter or intent.kpi or intent.asks_amount
        ):
            return top
        # ``_states`` is ScopeRules': whether the record states a figure in that unit
        if intent.definition or (intent.counter and self._states(top, intent.counter)):  # type: ignore[attr-defined]
            return top
        for c in candidates[1:6]:
            if c.doc.group == "kpi" and c.confidence >= FIGURE_FIT and c.score >= 0.25 * top.score:
                return c
        return top

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

    def _second_topic(self, top: Candidate, candidates: list[Candidate], question: str) -> Candidate | None:
        """Another record named in the question, apart from the main one (「待機児童と観光消費額」)."""
        spans = top.exact_spans
        if not spans:
            return None
        names = {compact(n) for n, _ in top.doc.names}
        for c in candidates[:6]:  # (the top may be another than the first: 「AってBと何が違う」)
            if c.doc.id == top.doc.id or c.phrase < 0.7:
                continue
            said = {self.index.phrases[m.phrase].compact for m in c.matches}
            if said and all(any(s in n for n in names) for s in said):
                continue  # 「自治会とかボランティアに参加した市民の割合」: 自治会 is part of the KPI's name
            other = c.exact_spans
            disjoint = bool(other) and all(e <= s2 or e2 <= s for s, e in other for s2, e2 in spans)
            if disjoint and _coordinated(top, c, question):  # 「AとB」「A、B」: two; 「AのB」「Aを…」 one
                return c
        return None


def _referenced_whole(top: Candidate, candidates: list[Candidate], intent: Intent) -> Candidate:
    """「リーディングプロジェクトⅢは最終的にどんな都市を目指してるんですか」: a project (or goal) named by
    its number, asked with a common word that one of its parts happens to repeat (都市), is about the
    whole: the part wins only by a name of its own."""
    if top.phrase > 0 or top.doc.kind in ("project", "goal"):
        return top
    for c in candidates[1:6]:
        whole = (c.doc.kind == "project" and c.doc.project == intent.project_ref) or (
            c.doc.kind == "goal" and c.doc.goal == intent.goal_ref and intent.measure_ref is None
        )
        if whole and c.score >= 0.6 * top.score:
            return c
    return top


def _head_noun(top: Candidate, candidates: list[Candidate], compact: str) -> Candidate | None:
    """In 「AのB」 the question is about B: 「検証委員会の運営要綱」 asks about the 運営要綱."""
    if top.doc.kind == "review":
        return None  # 「第1期の農水産業の振興の方向性」: 方向性 and 課題・検証 are the review's own parts
    for c in candidates[1:6]:
        # (a part of the record named after it, 「…のプロジェクトの中の移住受入」, scores lower)
        part = c.doc.parent == top.doc.id
        if c.doc.id == top.doc.id or c.score < (0.2 if part else 0.5) * top.score:
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
    return start >= end and bool(_NO_BETWEEN.fullmatch(compact[end:start]))


# 「AのB」, 「AのプロジェクトのB」, 「Aの中のB」: B is a part of A
_NO_BETWEEN = re.compile(r"(の(リーディング)?(プロジェクト|施策|基本目標))?(の(中|なか|うち))?の?")


_JAPANESE = re.compile(r"[ぁ-んァ-ヶ一-龥]")


def _outside_names(compact_question: str, c: Candidate) -> str:
    """The question without the parts that name ``c`` (so cue words inside a name do not count)."""
    chars = list(compact_question)
    for s, e in c.exact_spans:
        for i in range(max(s, 0), min(e, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _coordinated(a: Candidate, b: Candidate, compact: str) -> bool:
    """The two names are joined by 「と」「や」「、」… (compact drops 、 and ・, so adjacency counts too)."""
    first, second = (a, b) if _starts_before(a, b) else (b, a)
    end = _end(first)
    start = min(s for s, _ in second.exact_spans)
    between = compact[end:start]
    if start >= end and between in ("って", "は", "とは") and _COMPARED_WITH.match(compact[_end(second) :]):
        return True  # 「AってBと何が違うの？」: two, compared
    return start >= end and (between == "" or bool(_AND.match(between)))


def _end(c: Candidate) -> int:
    return max(e for _, e in c.exact_spans)


_COMPARED_WITH = re.compile(r"^(と|に比べ|に比べて)[^?？]{0,6}(違|ちが|比べ|比較|差)")


def _starts_before(a: Candidate, b: Candidate) -> bool:
    return min(s for s, _ in a.exact_spans) < min(s for s, _ in b.exact_spans)


# What may stand between two named topics: an aspect of the first (「出生数の目標と観光消費額」, 「…の目標は？
# 観光消費額も」) and then a coordinator or the end of a first question.
_ASPECT_OF = r"の(目標値?|基準値|実績値?|状況|進捗|進み具合|意味|取り?組み|施策|内容|数値)"
_AND = re.compile(
    r"^$"  # adjacent: compact() drops 、 and ・
    rf"|^({_ASPECT_OF})?(は|も)?(と|や|及び|および|とか|,|、|・|and|\?|？)$"  # 「AとB」「Aの目標とB」
    rf"|^{_ASPECT_OF}は$"  # 「Aの目標は？Bも」 (the question mark is dropped by compact())
)
