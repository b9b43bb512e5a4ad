"""Figures the strategy prints only in running text: the sentence that states what was asked.

Most figures live in the KPI tables, but some only in sentences: 「宿泊者数は２８１万人で、過去最高を
更新」, 「近隣18市町村からなる熊本連携中枢都市圏」, 「3,698件の空家等」. A question asking such a figure
would otherwise be declined as "not printed". Before declining, the sentences of the records that
state a figure are searched: one is quoted when it contains the question's topic words (most of
their weight, at least two of them), a figure in the unit asked, and the year asked (in the sentence
or its record). The sentence is quoted as printed, never a figure rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise

from handlers import policy
from handlers.context import Context, quote, sentences
from handlers.reply import Reply
from handlers.suggest import label_of
from nlp.analyze import FRAME_LEMMAS, Analyzed, analyze
from nlp.clauses import SENTENCE_END, ask_span
from nlp.index import Doc, Index
from nlp.intent import is_english
from nlp.normalize import compact, loose_kana, normalize
from nlp.romaji import romaji_reading
from nlp.years import find_years, mask_years

# Records whose text may state a figure the tables do not hold.
TEXT_KINDS = frozenset(
    {"goal", "item", "measure", "project", "project_item", "project_subitem", "overview", "promotion"}
    | {"glossary", "review", "rules", "rule", "committee", "members"}
)
COVERAGE = 0.7  # share of the question's topic weight a sentence must contain
MIN_WORDS = 2  # topic words a sentence must contain
NEAR = 0.6  # how near (cosine) a sentence's word must be to stand for a question word
NEAR_CREDIT = 0.5  # the most such a word explains of the question word
STATEMENT_SHARE = 0.75  # share of the question's topic weight a sentence must say, asked no figure
UNTRANSLATED = 0.3  # an English word with no Japanese: most often a word of the asking, not the topic
MIN_READING = 3  # kana a romaji word must spell to be looked for by its reading
ROMAJI = 0.5  # a romaji word's weight, of the mean
MIN_ROMAJI = 4  # letters of a word read as romaji in the text search (「one」 is English)
VERB_WEIGHT = 0.5  # a verb's share of its weight, in a question asking a figure
MIN_STATEMENT = 8  # characters of a sentence worth quoting
LONE_IDF = 0.7  # of the median: how rare a lone topic word of a figure question must be
MAX_RECORDS = 2  # records whose sentences may fit equally well before the question is too vague
_FIGURE = re.compile(r"[0-9][0-9,.]*")
_ORDINAL = re.compile(r"第\s*[0-9]+\s*[期回条次位号]?|[(（]\s*[0-9]+\s*[)）]")
_FOUNDING = re.compile(r"設置|新設|開設|設立|発足|策定|選定|締結|開始|開業|オープン|制定|改正|施行")
_UNITS = {
    "人": "(人|名)",
    "%": "(%|％|割)",
    "か所": "(か所|カ所|ヶ所|箇所)",
    "か月": "(か月|カ月|ヶ月|ケ月|ヵ月)",
}
_REPLY_KIND = {"glossary": "glossary", "overview": "overview", "promotion": "overview"} | dict.fromkeys(
    ("rules", "rule", "committee", "members"), "committee"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    doc: int  # index into ``Index.docs``
    text: str
    compact: str
    lemmas: frozenset[str]
    years: frozenset[int]  # the years it names
    figured: bool  # it has a figure (a year counts)
    counted: bool  # it states a figure besides its years
    reading: str  # its loose katakana reading (romaji in an English question is matched by it)


class Passages:
    """The sentences of the corpus (those that state a figure, and all worth quoting), analyzed once,
    on first use."""

    def __init__(self, index: Index):
        self.index = index

    @cached_property
    def _analyzed(self) -> list[Sentence]:
        """Every sentence of the records' text, analyzed once."""
        found = []
        for i, doc in enumerate(self.index.docs):
            if doc.kind not in TEXT_KINDS:
                continue
            for s in sentences(doc.body):
                c = compact(normalize(s))
                figured = bool(_FIGURE.search(c))
                # a figure besides its years and ordinals (第1期, 施策(2))
                counted = figured and bool(_FIGURE.search(_ORDINAL.sub(" ", mask_years(normalize(s)))))
                analyzed = analyze(s, max_chars=2000)
                found.append(
                    Sentence(
                        i,
                        s.strip(),
                        c,
                        analyzed.lemma_set,
                        frozenset(find_years(c)),
                        figured,
                        counted,
                        analyzed.reading,
                    )
                )
        return found

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The sentences that have a figure."""
        return [s for s in self._analyzed if s.figured]

    @cached_property
    def statements(self) -> list[Sentence]:
        """Every sentence worth quoting, for questions that ask what the text says."""
        return [s for s in self._analyzed if len(s.compact) >= MIN_STATEMENT]

    @cached_property
    def record_years(self) -> dict[int, frozenset[int]]:
        return {s.doc: frozenset(find_years(normalize(self.index.docs[s.doc].body))) for s in self.sentences}

    def find(self, ctx: Context, prefer: str | None = None) -> tuple[Doc, Sentence] | None:
        """The sentence that states the figure asked, and its record; None when none clearly does.
        Of sentences that fit as well, one of the record ``prefer`` wins."""
        intent = ctx.intent
        asks_figure = bool(intent.counter or intent.asks_amount)  # 「何人減った」, not 「減っているの？」
        # (a year asked asks its figure too: 「平成29年の数字を教えて」)
        plain = asks_figure or bool(intent.years)
        words = self._words(ctx, verbs=frozenset() if intent.founded else _verbs(ctx), plain=plain)
        # one topic word is enough with the unit asked (「空き家って何件くらいあると？」), when it is a
        # rare one and the sentences stating it in that unit are of one record
        lone = len(words) == 1 and bool(intent.counter) and not intent.founded
        lone = lone and words[0].weight >= LONE_IDF * self.index.median_idf  # names one thing
        if intent.asks_now or len(words) < (1 if intent.founded or lone else MIN_WORDS):
            return None
        best: tuple[float, Sentence] | None = None
        records: set[int] = set()
        for s in self.sentences:
            said = _said(words, s)
            if len(said) < min(MIN_WORDS, len(words)):
                continue
            if intent.founded:
                if not (_FOUNDING.search(s.compact) and s.years):
                    continue  # 「いつできたの」: a year beside a founding
            elif not s.counted or (intent.counter and not states(s.compact, intent.counter)):
                continue
            share = self._share(words, said, s)
            if share < COVERAGE:
                continue
            if intent.years and not set(intent.years) <= s.years | self.record_years[s.doc]:
                continue
            records.add(s.doc)
            if best is None or share > best[0] or (share == best[0] and self.index.docs[s.doc].id == prefer):
                best = (share, s)
        if best is None or (lone and len(records) > 1):
            return None
        return self.index.docs[best[1].doc], best[1]

    def counted_with(self, names: list[str], counter: str) -> tuple[Doc, Sentence] | None:
        """The sentence that names one of ``names`` (a term) with a figure counted in ``counter``
        (「近隣18市町村からなる熊本連携中枢都市圏」), when sentences of only one record do."""
        wanted = [compact(normalize(n)) for n in names if len(n) >= 3]
        found = [
            s
            for s in self.sentences
            if s.counted and states(s.compact, counter) and any(n in s.compact for n in wanted)
        ]
        if not found or len({s.doc for s in found}) > 1:
            return None
        return self.index.docs[found[0].doc], found[0]

    def founding(self, names: list[str]) -> tuple[Doc, Sentence] | None:
        """The first sentence that dates the founding of what one of ``names`` names (「…検証委員会」
        …を設置しました), for 「いつできたの」 when the question's own words fit no sentence."""
        wanted = [compact(normalize(n)) for n in names if len(n) >= 3]
        for s in self.sentences:
            if s.years and _FOUNDING.search(s.compact) and any(n in s.compact for n in wanted):
                return self.index.docs[s.doc], s
        return None

    def find_statement(self, ctx: Context) -> tuple[Doc, Sentence] | None:
        """The one sentence that says nearly all the question's topic words, its rarest among them
        (「主力の農産物は？」: 「なす、すいか、みかんなどの主力品目をはじめとする農産物…」), when no
        record as a whole fits; None when none does, or sentences of several records fit as well."""
        words = self._words(ctx)
        if len(words) < MIN_WORDS:
            return None
        rarest = max(words, key=lambda w: (not w.context, w.weight)).key
        scored: list[tuple[float, Sentence]] = []
        for s in self.statements:
            said = _said(words, s)
            if rarest not in said or len(said) < MIN_WORDS:
                continue
            share = self._share(words, said, s)
            if share >= STATEMENT_SHARE:
                scored.append((share, s))
        if not scored:
            return self._two_sentences(words, rarest)
        top = max(share for share, _ in scored)
        best = [s for share, s in scored if share >= top - 1e-9]
        if len({s.doc for s in best}) > MAX_RECORDS:
            return None  # said alike in many places: the question names nothing in particular
        chosen = min(best, key=lambda s: len(s.compact))
        return self.index.docs[chosen.doc], chosen

    def _two_sentences(self, words: list[Word], rarest: str) -> tuple[Doc, Sentence] | None:
        """Two questions in one (「Will they extend the tram? and is there a park and ride plan?」):
        two sentences of one record that between them say nearly all the question's topic words, each
        some the other does not; quoted together, in the record's order. None unless one record alone
        has such a pair."""
        total = sum(w.weight for w in words)
        weight = {w.key: w.weight for w in words}
        by_doc: dict[int, list[tuple[Sentence, set[str]]]] = {}
        for s in self.statements:
            said = _said(words, s)
            if said:
                by_doc.setdefault(s.doc, []).append((s, said))
        found: list[tuple[float, Sentence, Sentence]] = []
        for said_in in by_doc.values():
            for i, (a, said_a) in enumerate(said_in):
                for b, said_b in said_in[i + 1 :]:
                    both = said_a | said_b
                    if rarest not in both or not (said_a - said_b) or not (said_b - said_a):
                        continue
                    share = sum(weight[k] for k in both) / total
                    if share >= STATEMENT_SHARE:
                        found.append((share, a, b))
        if not found:
            return None
        top = max(share for share, _, _ in found)
        best = [(a, b) for share, a, b in found if share >= top - 1e-9]
        if len({a.doc for a, _ in best}) > 1:
            return None  # said alike in several records: which one is meant is not clear
        a, b = min(best, key=lambda pair: len(pair[0].compact) + len(pair[1].compact))
        joined = Sentence(
            doc=a.doc,
            text=f"{a.text}\n{b.text}",
            compact=a.compact + b.compact,
            lemmas=a.lemmas | b.lemmas,
            years=a.years | b.years,
            figured=a.figured or b.figured,
            counted=a.counted or b.counted,
            reading=a.reading + b.reading,
        )
        return self.index.docs[a.doc], joined

    def _words(self, ctx: Context, verbs: frozenset[str] = frozenset(), plain: bool = False) -> list[Word]:
        """The question's topic words, each with its weight and the words a sentence may say it in.

        ``verbs`` count for less: a figure's question says how it came about in its own verb
        (「調査で何件見つかった」 of 「実体調査で把握した3,698件」); with ``plain``, an everyday verb
        is said by the strategy's noun for it too (減る → 減少). An English word is said in the
        strategy's Japanese for it (``english_words.yaml``: vacant → 空き家, 空家), a word of romaji
        by the kana it spells (sodan → ソダン, in 相談's reading), and an English word with no
        Japanese counts as not said, for little (「dont need」)."""
        idf, mean = self.index.idf, self.index.mean_idf or 1.0
        bridge = ctx.bridge
        words = []
        counted = _COUNTED_EN.get(ctx.intent.counter or "", ())
        helpers = _helper_verbs(ctx.analyzed)
        for w in ctx.question_words():
            if w in helpers:
                continue  # 「出ていった」: 行く only helps 出る
            if bridge and w.startswith(counted):
                continue  # 「how many towns…」: the unit asked (市町村), not what the sentence is about
            factor = VERB_WEIGHT if w in verbs else 1.0
            if not (bridge and w.isascii()):  # a word of the question's own language, weighed as itself
                nouns = _PLAIN_FORMS.get(w, ()) if plain else ()
                weight = idf.get(w, mean) * factor
                if nouns:  # 「出ていった」 stands for 転出: a topic word, not how the figure came about
                    weight = max(idf.get(w, mean), *(idf.get(n, mean) for n in nouns))
                words.append(Word(w, (w, *nouns), weight, native=True))
                continue
            if w in bridge:
                forms = tuple(bridge[w])
            elif len(w) >= MIN_ROMAJI and (kana := romaji_reading(w)):
                # 「sodan madoguchi」: said by its reading; a guess, for an English word may spell kana too
                words.append(Word(w, (), mean * ROMAJI, reading=loose_kana(kana)))
                continue
            else:
                forms = ()
            weight = max((idf.get(f, mean) for f in forms), default=mean * UNTRANSLATED)
            words.append(Word(w, forms, weight * factor))
        situation = _situation_only(ctx.analyzed)
        marked = [replace(w, context=all(k in situation for k in w.key.split())) for w in words]
        # (「宿泊者数は過去最高って聞いたけど、何万人？」 asks only 何万人: its topic is all before it)
        return marked if not all(w.context for w in marked) else words

    def _share(self, words: list[Word], said: set[str], s: Sentence) -> float:
        """The share of the question's topic weight the sentence says (in other words, part credit)."""
        counted = [w for w in words if w.key in said or not w.context]  # the situation need not be said
        total = sum(w.weight for w in counted)
        if not total:
            return 0.0
        return (sum(w.weight for w in counted if w.key in said) + self._near(counted, said, s)) / total

    def _near(self, words: list[Word], said: set[str], s: Sentence) -> float:
        """Part credit for a question word the sentence says in other words (保つ → 維持)."""
        credit = 0.0
        neighbours = self.index.neighbours
        if neighbours is None:
            return credit
        for w in words:
            if w.key not in said and w.native:
                sims = [sim for lemma, sim in neighbours.near(w.key, min_sim=NEAR) if lemma in s.lemmas]
                credit += w.weight * NEAR_CREDIT * max(sims, default=0.0)
        return credit


# the English nouns a unit is asked by (「how many towns and villages」 asks 何市町村)
_COUNTED_EN: dict[str, tuple[str, ...]] = {
    "市町村": ("town", "city", "village", "municipal", "shichou", "shicho")  # shichouson: in romaji
}

# Everyday verbs a question uses for what the strategy's text says with a noun (「何人減った」 of
# 「入園者が…大きく減少（▲３７万人）」, 「泊まった人」 of 「宿泊者数は２８１万人」)
_PLAIN_FORMS: dict[str, tuple[str, ...]] = {
    "減る": ("減少",),
    "増える": ("増加",),
    "泊まる": ("宿泊",),
    "生まれる": ("出生",),
    "住む": ("居住",),
    "働く": ("就労", "就業"),
    "来る": ("来訪", "入込"),
    "始める": ("開始",),
    "始まる": ("開始",),
    "出入り": ("転入", "転出"),  # 「人の出入りの数字」 of 「560人の転入超過」
    "出る": ("転出",),  # 「何人出ていった」 of 「1,394人の転出超過」
    "調べる": ("調査",),  # 「市が調べた空き家って何件」 of 「実体調査で把握した3,698件の空家等」
}


@dataclass(frozen=True, slots=True)
class Word:
    key: str  # the question's word (its lemma)
    forms: tuple[str, ...]  # what a sentence may say it as
    weight: float
    native: bool = False  # a word as the question says it (said as its lemma, or in a sentence's text)
    reading: str = ""  # of a word of romaji: the loose kana it spells, looked for in a sentence's reading
    context: bool = False  # said only in the asker's situation, not in what is asked: need not be said


def _helper_verbs(analyzed: Analyzed) -> frozenset[str]:
    """Verbs that only help the verb before them (「出ていく」「増えてきた」), and are nowhere else a
    word of the question on their own."""
    tokens = analyzed.tokens
    helping = {
        t.lemma
        for prev, t in pairwise(tokens)
        if t.pos1 == "動詞" and t.pos2 == "非自立可能" and prev.surface in ("て", "で")
    }
    alone = {
        t.lemma
        for i, t in enumerate(tokens)
        if t.lemma in helping and (i == 0 or tokens[i - 1].surface not in ("て", "で"))
    }
    return frozenset(helping - alone)


def _situation_only(analyzed: Analyzed) -> frozenset[str]:
    """The words said only in the asker's situation (「I work on a farm in Ueki」 beside 「What are
    the main crops?」), outside the part of the question that asks."""
    tokens = analyzed.tokens
    start, end = ask_span(tokens, analyzed.normalized)
    asked = {t.lemma.casefold() for t in tokens[start:end]}
    if is_english(analyzed.normalized):
        # a second question after the first is asked too (「Will they extend the tram? and is there
        # a park and ride plan」), not the asker's situation
        for sentence in _english_sentences(tokens):
            if sentence[0].surface.casefold() in _ASKING:
                asked.update(t.lemma.casefold() for t in sentence)
    return frozenset(t.lemma.casefold() for t in tokens if t.lemma.casefold() not in asked)


# the first words of a sentence that asks (not one telling of the asker)
_ASKING_WORDS = """and also plus or then what whats how when where who which why is are was were do does did
can could will would should"""
_ASKING = frozenset(_ASKING_WORDS.split())


def _english_sentences(tokens) -> list[list]:
    out: list[list] = [[]]
    for t in tokens:
        if t.surface in SENTENCE_END:
            out.append([])
        elif not t.is_symbol:
            out[-1].append(t)
    return [s for s in out if s]


def _verbs(ctx: Context) -> frozenset[str]:
    return frozenset(t.lemma.casefold() for t in ctx.analyzed.tokens if t.pos1 == "動詞")


def _said(words: list[Word], s: Sentence) -> set[str]:
    """The question's topic words the sentence says. A word said in the strategy's Japanese for an
    English one must be said apart from the other words: the 委員 of 委員会 is the committee, not
    its members as well."""
    said: set[str] = set()
    spans: dict[str, list[tuple[int, int]]] = {}
    for w in words:
        if w.native:  # itself, or (「減る」) the strategy's noun for it
            if any(f in s.lemmas or (len(f) > 1 and f in s.compact) for f in w.forms):
                said.add(w.key)
            continue
        if w.reading:
            if len(w.reading) >= MIN_READING and w.reading in s.reading:
                said.add(w.key)
            continue
        for form in w.forms:
            if len(form) == 1:
                if form in s.lemmas:
                    said.add(w.key)
                continue
            start = s.compact.find(form)
            while start >= 0:
                spans.setdefault(w.key, []).append((start, start + len(form)))
                start = s.compact.find(form, start + 1)
    for key, own in spans.items():
        others = [span for other, found in spans.items() if other != key for span in found]
        # inside another's word only when that word is it and a suffix (委員会), not a compound
        # naming both (総合相談窓口 says 'general' as well as 'consultation')
        if any(not any(a <= x and y <= b and 0 < (b - a) - (y - x) <= 1 for a, b in others) for x, y in own):
            said.add(key)
    return said


def states(text: str, counter: str) -> bool:
    """Whether ``text`` (normalized) states a figure counted in ``counter`` (円, 人, 件, 市町村…)."""
    unit = _UNITS.get(counter, re.escape(counter))
    return re.search(r"[0-9][0-9,.]*(万|千|百|億)?" + unit, text) is not None


_PLACE = re.compile(r"(基本目標|施策|プロジェクト)\s*[(（]?\s*[0-9]+\s*[)）]?|第\s*[0-9]+\s*[期回条]")


def states_figure(text: str, counter: str | None) -> bool:
    """Whether a reply states a figure (besides its place, years and ordinals), in ``counter`` when
    one is asked: a card printing none cannot answer 「海苔の量はどれくらい？」."""
    body = text.split("\n", 1)[1] if "\n" in text else text  # (the first line is its place: 基本目標1…)
    plain = _PLACE.sub(" ", normalize(body))
    if counter:
        return states(plain, counter)
    return bool(_FIGURE.search(_ORDINAL.sub(" ", mask_years(plain))))


def asked_about(ctx: Context, sentence: Sentence) -> str | None:
    """The question's own words the sentence says, as written (「熊本城の入園者」): what a follow-up
    (「それに関する取組は？」) is about."""
    parts: list[str] = []
    last = -2
    unit = ctx.intent.counter or ""
    for i, t in enumerate(ctx.analyzed.tokens):
        if (
            t.content
            and t.lemma not in FRAME_LEMMAS  # 「熊本の」 names no topic
            and t.surface not in unit
            and (t.lemma in sentence.lemmas or (len(t.surface) > 1 and t.surface in sentence.compact))
        ):
            parts.append(t.surface if i == last + 1 or not parts else "の" + t.surface)
            last = i
    label = "".join(parts)
    return label if 1 < len(label) <= 20 else None


def answer(ctx: Context, doc: Doc, sentence: Sentence) -> Reply:
    """The sentence, quoted under the name of the record that prints it."""
    label = label_of(ctx.corpus, doc.kind, doc.id) or doc.names[0][0]
    row = ctx.corpus.by_id.get(doc.id)
    where = (policy.heading(ctx.corpus, doc.kind, row) if row else None) or quote(label)
    text = f"{where}には、次のように書かれています。\n{sentence.text}"
    return Reply(
        kind=_REPLY_KIND.get(doc.kind, "policy"),  # type: ignore[arg-type]
        answered=True,
        text=text,
        source=doc.source,
        suggestions=[f"{label[:13]}について詳しく"],  # a quick reply holds 20 characters
        # a conversation goes on about what was asked (「空き家」), not the record that happens to say it
        data={"record": doc.id, "label": asked_about(ctx, sentence)},
    )
