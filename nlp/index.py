"""An in-memory index over every strategy record, built once from token features.

Each ``Doc`` has *names* (titles, terms, aliases, synonyms, keywords: what people call it) and a
*body* (definitions, bullets, summaries). The index holds:

- phrase dictionaries over names: exact (compact form), by reading (kana), by topic-lemma set
  (conjugation-proof paraphrases), and a one-typo index;
- per-field lemma frequencies for BM25F-style scoring, with document frequencies for IDF;
- the vocabulary and the compact text of the whole corpus (to recognise words the strategy never
  uses, such as another city's name).

The corpus is a few hundred records, so everything is plain dicts; no FTS (whose trigram tokenizer
cannot match two-character words such as 創生 or 観光).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from nlp.analyze import Analyzed, analyze
from nlp.fuzzy import FuzzyIndex
from nlp.kana_words import KanaWords
from nlp.normalize import compact, is_kana, loose_kana, to_katakana
from nlp.vectors import Neighbours, installed

# Answer groups: the kind of reply a record is answered with.
GROUPS = {
    "glossary": "glossary",
    "kpi": "kpi",
    "history": "kpi",
    "review": "policy",
    "goal": "policy",
    "goals": "policy",
    "measure": "policy",
    "item": "policy",
    "project": "policy",
    "projects": "policy",
    "project_item": "policy",
    "project_subitem": "policy",
    "overview": "overview",
    "promotion": "overview",
    "committee": "committee",
    "members": "committee",
    "member": "committee",
    "rules": "committee",
    "rule": "committee",
    "meetings": "committee",
    "meeting": "committee",
    "public_comment": "committee",
}


@dataclass
class Doc:
    id: str
    kind: str  # a key of GROUPS
    names: list[tuple[str, float]]  # (phrase, weight)
    body: str
    source: str
    goal: int | None = None  # 基本目標 number, for references such as 「基本目標2の…」
    project: int | None = None  # リーディングプロジェクト number
    years: frozenset[int] = frozenset()  # years the record states (targets, dates…)
    has_dates: bool = False  # states a date or period (answers 「いつ」)
    is_person: bool = False  # answers 「誰」
    synonym_groups: list[list[str]] = field(default_factory=list)
    parent: str | None = None  # the record this one belongs to (an item's 施策, a 施策's goal…)

    @property
    def group(self) -> str:
        return GROUPS[self.kind]


@dataclass(frozen=True, slots=True)
class Phrase:
    doc: int
    text: str  # as written in the data
    compact: str
    weight: float
    lemmas: frozenset[str]
    synonym_group: int | None = None  # index into the doc's synonym_groups


# What the index keeps of an analyzed text: compact form, topic lemmas, lemma bigrams, reading key.
Features = tuple[str, tuple[str, ...], tuple[str, ...], str]


def features(text: str, *, body: bool = False) -> Features:
    """The analyzer's output the index needs (names are read in kana too; bodies are not)."""
    a: Analyzed = analyze(text, max_chars=20000 if body else 400)
    reading = ""
    if not body:
        # a phrase written in kana is read as written, else as the tagger reads it
        reading = (
            loose_kana(to_katakana(text))
            if text and all(is_kana(c) or c in "・ " for c in text)
            else a.reading
        )
    return a.compact, a.lemmas, a.bigrams, reading


def _lengths_by_prefix(table: dict[str, list[int]]) -> dict[str, list[int]]:
    """First two characters of each key -> the lengths of the keys starting with them."""
    out: dict[str, set[int]] = defaultdict(set)
    for key in table:
        if len(key) >= 2:
            out[key[:2]].add(len(key))
    return {k: sorted(v, reverse=True) for k, v in out.items()}


class Index:
    def __init__(self, docs: Iterable[Doc], *, memo: dict[str, Features] | None = None):
        """Build the index; ``memo`` caches ``features`` by text (``self.memo`` holds every text used)."""
        self.docs: list[Doc] = list(docs)
        known = memo or {}
        self.memo: dict[str, Features] = {}
        self.memo_misses = 0

        def feats(text: str, body: bool) -> Features:
            key = ("B:" if body else "N:") + text
            got = known.get(key)
            if got is None:
                got = features(text, body=body)
                self.memo_misses += 1
            self.memo[key] = got
            return got

        self.phrases: list[Phrase] = []
        self.by_compact: dict[str, list[int]] = defaultdict(list)
        self.by_reading: dict[str, list[int]] = defaultdict(list)
        self.by_lemma: dict[str, list[int]] = defaultdict(list)  # lemma -> multi-lemma phrase ids
        self.name_tf: list[Counter[str]] = []
        self.body_tf: list[Counter[str]] = []
        self.bigrams: list[set[str]] = []
        self.doc_lemmas: list[frozenset[str]] = []
        df: Counter[str] = Counter()
        body_lengths: list[int] = []
        for i, doc in enumerate(self.docs):
            name_tf: Counter[str] = Counter()
            bigrams: set[str] = set()
            for text, weight in doc.names:
                compact_form, lemmas_, bigrams_, key = feats(text, False)
                if not compact_form:
                    continue
                lemma_set = frozenset(lemmas_)
                group = next((g for g, phrases in enumerate(doc.synonym_groups) if text in phrases), None)
                ph = Phrase(i, text, compact_form, weight, lemma_set, group)
                pid = len(self.phrases)
                self.phrases.append(ph)
                self.by_compact[compact_form].append(pid)
                if len(key) >= 3:
                    self.by_reading[key].append(pid)
                if len(lemma_set) >= 2:
                    for lemma in lemma_set:
                        self.by_lemma[lemma].append(pid)
                name_tf.update(lemma_set)
                bigrams.update(bigrams_)
            _, body_lemmas, body_bigrams, _ = feats(doc.body, True)
            body_tf = Counter(body_lemmas)
            bigrams.update(body_bigrams)
            self.name_tf.append(name_tf)
            self.body_tf.append(body_tf)
            self.bigrams.append(bigrams)
            lemmas = frozenset(name_tf) | frozenset(body_tf)
            self.doc_lemmas.append(lemmas)
            df.update(lemmas)
            body_lengths.append(sum(body_tf.values()))
        n = max(len(self.docs), 1)
        self.idf: dict[str, float] = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.max_idf = max(self.idf.values(), default=1.0)
        self.mean_idf = sum(self.idf.values()) / max(len(self.idf), 1)
        ordered = sorted(self.idf.values())
        self.median_idf = ordered[len(ordered) // 2] if ordered else 1.0
        self.avg_body = sum(body_lengths) / n if body_lengths else 1.0
        self.body_len = body_lengths
        self.phrase_lengths = _lengths_by_prefix(self.by_compact)
        self.reading_lengths = _lengths_by_prefix(self.by_reading)
        self.fuzzy = FuzzyIndex(p.compact for p in self.phrases)
        # n-grams of long names (titles), to recognise a title quoted in part
        self.gram = 6
        self.by_gram: dict[str, list[int]] = defaultdict(list)
        for pid, ph in enumerate(self.phrases):
            if len(ph.compact) >= 10 and ph.weight >= 0.9:
                grams = {ph.compact[i : i + self.gram] for i in range(len(ph.compact) - self.gram + 1)}
                for gram in grams:
                    self.by_gram[gram].append(pid)
        self.vocabulary = frozenset(df)
        self._neighbours: Neighbours | bool | None = False  # built on first use
        self.vector_keys: tuple | None = None  # the parsed vector keys, from the database cache
        self.corpus_text = "\n".join(
            [d.body for d in self.docs]
            + [t for d in self.docs for t, _ in d.names]
            + [d.source for d in self.docs]
        )
        self.by_id = {d.id: i for i, d in enumerate(self.docs)}
        self.compact_body = [compact(d.body) for d in self.docs]
        self.kana_words = KanaWords(  # built on first kana question
            self.vocabulary, self.compact_body, [[n for n, _ in d.names] for d in self.docs]
        )
        self.compact_names = ["".join(compact(n) for n, *_ in d.names) for d in self.docs]
        self.by_source = {d.source: d.id for d in self.docs}
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, lemmas in enumerate(self.doc_lemmas):
            for lemma in lemmas:
                self.postings[lemma].append(i)

    def idf_of(self, lemma: str, noun: bool) -> float:
        """IDF of a lemma; a word the strategy never uses weighs heavily if it is a noun."""
        if lemma in self.idf:
            return self.idf[lemma]
        return self.max_idf + 1.0 if noun else self.mean_idf * 0.5

    @property
    def neighbours(self) -> Neighbours | None:
        """The semantic backstop over this corpus's words (None without word vectors)."""
        if self._neighbours is False:
            vectors = installed(*(self.vector_keys or (None, None)))
            self._neighbours = Neighbours(vectors, self.vocabulary) if vectors is not None else None
        return self._neighbours  # type: ignore[return-value]

    def doc(self, doc_id: str) -> Doc | None:
        i = self.by_id.get(doc_id)
        return None if i is None else self.docs[i]
