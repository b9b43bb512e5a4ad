"""What ranking says of one record: its matches, the question's words it explains, and how sure.

``Candidate.confidence`` is coverage (the IDF-weighted share of the question's topic words the record
accounts for; see ``nlp.ranking``) tempered by match strength (``strength``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.index import Doc
from nlp.tokenize import Token

NAMED = 0.8  # match strength of a whole name (or its reading) that names a record outright


@dataclass(frozen=True, slots=True)
class Match:
    phrase: int
    how: str  # exact | partial | reading | lemmas | fuzzy
    start: int  # span in compact (exact, partial, fuzzy) or reading coordinates; -1 for lemmas
    end: int
    strength: float


@dataclass
class Candidate:
    doc: Doc
    index: int
    score: float
    confidence: float
    coverage: float
    phrase: float
    bm25: float
    matches: list[Match] = field(default_factory=list)
    covered: dict[int, float] = field(default_factory=dict)  # topic index -> idf, words accounted for
    topics: list[Topic] = field(default_factory=list)
    owner_unexplained: bool = False  # 「市長の任期」: the owner of what is asked is not this record's
    policy_asked: bool = False

    @property
    def unknown_asked(self) -> list[Topic]:
        """The things the question itself asks about that the strategy never mentions and this record
        does not explain (「熊本城の入城料」: 入城料)."""
        return [
            t
            for k, t in enumerate(self.topics)
            if not t.context
            and not t.known
            and t.thing
            and len(t.lemma) >= 2
            and self.covered.get(k, 0.0) < t.idf  # a near word's part-credit does not explain it
        ]

    @property
    def asks_unknown(self) -> bool:
        """The question asks about something unknown (``unknown_asked``), so naming the record is not
        enough to answer."""
        return bool(self.unknown_asked)

    @property
    def named(self) -> bool:
        """The question names this record outright: a whole name, or its reading, not a word of it."""
        return self.phrase >= NAMED and any(m.how in ("exact", "reading") for m in self.matches)

    def joint_coverage(self, other: Candidate) -> float:
        return (
            share_explained(self.topics, {**other.covered, **self.covered}) if self.topics else self.coverage
        )

    def joint_confidence(self, other: Candidate) -> float:
        """Confidence when ``other`` answers the rest of a two-topic question."""
        if not self.topics:
            return self.confidence
        coverage = share_explained(self.topics, {**other.covered, **self.covered})
        return coverage * match_strength(self.phrase, self.bm25, self.doc.group, self.policy_asked)

    @property
    def exact_spans(self) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.matches if m.how in ("exact", "partial", "fuzzy")]


@dataclass(frozen=True, slots=True)
class Topic:
    token: Token
    lemma: str
    idf: float
    cspan: tuple[int, int]  # span in the compact string
    rspan: tuple[int, int]  # span in the reading string
    miss: float  # what leaving this word unexplained costs: full for words the strategy never uses
    context: bool = False  # part of the asker's situation, before the question itself
    known: bool = True  # the strategy uses this word somewhere
    thing: bool = True  # a noun naming a thing (入城料, 天守閣), not a manner (簡単) or an act (確認したい)


def share_explained(topics: list[Topic], covered: dict[int, float]) -> float:
    if not topics:
        return 0.0
    got = sum(covered.values())
    # a word explained in part (by a near word: ``nlp.vectors``) leaves the rest of it unexplained
    missing = sum(
        t.miss * (1 - min(1.0, covered.get(k, 0.0) / t.idf)) if t.idf else 0.0 for k, t in enumerate(topics)
    )
    return got / (got + missing) if got + missing else 0.0


POLICY_BASE = 0.65


def match_strength(phrase: float, bm: float, group: str, policy_asked: bool) -> float:
    """How strongly the record is matched, from its best name match or its text. A question asking
    what the city does is answered from a policy's text, not its title, so text counts more there."""
    base = POLICY_BASE if policy_asked and group == "policy" else 0.45
    return min(1.0, base + (1 - base) * max(phrase, bm * 1.6))
