"""What every answer builder receives, and the helpers they share (picking the relevant sentences)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlite_utils

from handlers.corpus import Corpus, english_paired
from handlers.reply import Query
from nlp.analyze import Analyzed, analyze
from nlp.index import Index
from nlp.intent import Intent
from nlp.ranking import Candidate

MAX_TEXT_SOFT = 400  # what a reply normally stays within
NEAR_WORD = 0.5  # cosine: a record's word this near an asker's own word says it, softly
NEAR_SHARE = 0.3  # of the weight the asker's own word would have
SHARED_ROW = 0.98  # two words on one vector row: the vectors cannot tell them apart, so say nothing


@dataclass
class Context:
    corpus: Corpus
    index: Index
    db: sqlite_utils.Database
    query: Query
    analyzed: Analyzed
    intent: Intent
    candidate: Candidate | None = None
    contact: str = ""

    def focus_lemmas(self) -> Focus:
        """Words to choose sentences by, weighted by how rare they are: the question's own topic
        words count four times as much as the words of the names and synonym groups it matched."""
        weights = Focus()
        idf = self.index.idf
        mean = self.index.mean_idf or 1.0
        if self.candidate is not None:
            doc = self.candidate.doc
            for m in self.candidate.matches:
                ph = self.index.phrases[m.phrase]
                for lemma in ph.lemmas:
                    weights[lemma] = max(weights.get(lemma, 0.0), 0.5 * idf.get(lemma, mean) / mean)
                if ph.synonym_group is not None:
                    for phrase in doc.synonym_groups[ph.synonym_group]:
                        for lemma in lemma_set(phrase):
                            weights[lemma] = max(weights.get(lemma, 0.0), 0.5 * idf.get(lemma, mean) / mean)
        own = self._own_words()
        for group in own:
            for lemma in group:  # rare words say more about what was asked
                weights[lemma] = max(weights.get(lemma, 0.0), 2.0 * idf.get(lemma, mean) / mean)
        weights.own = self._near_words(own, weights)
        return weights

    def _near_words(self, own: tuple[frozenset[str], ...], weights: Focus) -> tuple[frozenset[str], ...]:
        """Each of the question's own words the record does not use, with the record's words nearest
        in meaning to it, weighed by how near (「バスが減って病院に行くのも難儀」: 困難 says 難儀):
        the texts are then chosen for what the asker said in words of their own too."""
        if self.candidate is None:
            return own
        used = self.index.doc_lemmas[self.candidate.index]
        unused = [w for group in own for w in group if w not in used and not w.isascii()]
        neighbours = self.index.neighbours if unused else None  # the vectors load only when needed
        if neighbours is None:
            return own
        idf, mean = self.index.idf, self.index.mean_idf or 1.0
        grown = []
        for group in own:
            near = {
                lemma: sim
                for word in group
                if word in unused
                for lemma, sim in neighbours.near(word, min_sim=NEAR_WORD)
                if lemma in used and lemma != word and sim < SHARED_ROW and len(lemma) >= 2
            }
            for lemma, sim in near.items():
                soft = NEAR_SHARE * sim * 2.0 * idf.get(lemma, mean) / mean
                weights[lemma] = max(weights.get(lemma, 0.0), soft)
            grown.append(group | frozenset(near))
        return tuple(grown)

    @property
    def bridge(self) -> dict[str, list[str]]:
        """English words with the strategy's Japanese for them, for a question asked in English."""
        return self.corpus.english_words if self.intent.english else {}

    def question_words(self) -> list[str]:
        """The question's words once each, two English words that name one thing joined."""
        return list(dict.fromkeys(english_paired(self.analyzed.lemmas, self.bridge)))

    def _own_words(self) -> tuple[frozenset[str], ...]:
        """The question's own words, each as the lemmas a text may say it by: itself, or for an
        English question the strategy's Japanese for it (park and ride → パークアンドライド)."""
        bridge = self.bridge
        groups = []
        for word in self.question_words():
            forms = bridge.get(word) if word.isascii() else None
            groups.append(frozenset().union(*(lemma_set(f) for f in forms)) if forms else frozenset({word}))
        return tuple(groups)


@lru_cache(maxsize=4096)
def lemma_set(text: str) -> frozenset[str]:
    return analyze(text, max_chars=2000).lemma_set


_OPEN, _CLOSE = "（(「『【", "）)」』】"


def sentences(text: str) -> list[str]:
    """Sentences of ``text``, split at 。！？ and line breaks outside brackets; a bracketed remark
    such as 「（ＰＤＣＡサイクルの確立）。」 stays with the sentence before it."""
    raw: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in text or "":
        if ch == "\n":
            if depth == 0:
                raw.append("".join(buf))
                buf = []
            continue
        buf.append(ch)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in "。！？" and depth == 0:
            raw.append("".join(buf))
            buf = []
    raw.append("".join(buf))
    out: list[str] = []
    for s in raw:
        s = s.strip()
        if not s:
            continue
        if out and s[0] in "（(":
            out[-1] += s
        else:
            out.append(s)
    return out


class Focus(dict[str, float]):
    """Words to choose texts by, with their weights; ``own`` are the question's own words."""

    def __init__(self, *args, own: tuple[frozenset[str], ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.own = own


def overlap(text: str, focus: dict[str, float]) -> float:
    return sum(focus.get(lemma, 0.0) for lemma in lemma_set(text))


def _relatedness(text: str, focus: dict[str, float]) -> float:
    """How related a text is to what was asked: the question's own words it says count again, on
    top of the weighted overlap (names the record was matched by, and synonyms, count for half), so
    「まちづくりセンターって何する所？」 shows the bullets naming まちづくりセンター, not those sharing
    many words of the record's names."""
    words = lemma_set(text)
    groups = [group & words for group in getattr(focus, "own", ())]
    own = sum(max(focus.get(lemma, 0.0) for lemma in said) for said in groups if said)
    return own + OVERLAP_SHARE * overlap(text, focus)


OVERLAP_SHARE = 0.5


def pick(texts: list[str], focus: dict[str, float], *, k: int, keep_first: bool = False) -> list[str]:
    """Up to ``k`` texts most related to ``focus``, in their original order.

    Ties keep document order; with ``keep_first`` the first text is always included.
    """
    if len(texts) <= k:
        return list(texts)
    ranked = sorted(range(len(texts)), key=lambda i: (-_relatedness(texts[i], focus), i))
    chosen = set(ranked[:k])
    if keep_first and 0 not in chosen:
        chosen.discard(ranked[k - 1])
        chosen.add(0)
    return [texts[i] for i in sorted(chosen)]


def fit(texts: list[str], focus: dict[str, float], *, budget: int, keep_first: bool = False) -> list[str]:
    """As many texts as fit in ``budget`` characters, the most related first, shown in order;
    with ``keep_first`` the opening text always comes first (it says what the section is)."""
    ranked = sorted(range(len(texts)), key=lambda i: (-_relatedness(texts[i], focus), i))
    chosen: list[int] = [0] if keep_first and texts else []
    used = len(texts[0]) if chosen else 0
    ranked = [i for i in ranked if i not in chosen]
    for i in ranked:
        if chosen and used + len(texts[i]) > budget:
            continue
        chosen.append(i)
        used += len(texts[i])
    return [texts[i] for i in sorted(chosen)]


def quote(text: str) -> str:
    """「text」, with quotes inside turned into 『』 as Japanese nests them."""
    return "「" + text.replace("「", "『").replace("」", "』") + "」"


def clip(text: str, limit: int = MAX_TEXT_SOFT) -> str:
    """Cut at a line or sentence end before ``limit`` characters (never mid-word when avoidable)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for sep in ("\n", "。"):
        pos = cut.rfind(sep)
        if pos >= limit // 2:
            return cut[: pos + 1].rstrip() + ("…" if sep == "\n" else "")
    return cut[: limit - 1] + "…"
