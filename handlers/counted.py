"""A counted list asked of a record (「連携中枢都市圏の3つの取組って何と何と何？」).

The strategy often names a few things and counts them in one sentence: 「「圏域全体の経済成長の
けん引」「高次の都市機能の集積・強化」「圏域全体の生活関連機能の向上」の３つの取組」. A question
that asks what those N things are is answered by that sentence when the record it names does not
list N things itself (a glossary term defines the area, the overview sentence lists its three
measures). The sentence must name the record and count the same number.
"""

from __future__ import annotations

import re

from handlers.passage import Passages, Sentence
from nlp.index import Doc
from nlp.normalize import compact, normalize

_NUMBER = {"二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# 「3つの取組って何？」「取組は3つあるって聞いたけど何？」「3つって何と何と何？」「the 3 things it does」
_COUNTED = re.compile(
    r"(?<![0-9０-９])([2-9２-９二三四五六])\s*つ"
    r"|\b([2-6]|two|three|four|five|six) (?:main )?"
    r"(?:things|measures|pillars|areas|points|initiatives|efforts)\b"
)
_WHAT = re.compile(r"何|なに|なん|どんな|どれ|どういう|教えて|\bwhat\b|\bwhich\b")
MIN_NAME = 3  # characters of a name looked for in a sentence


def counted_asked(normalized: str) -> int | None:
    """The number of things the question asks to be named, or None when it asks no counted list."""
    m = _COUNTED.search(normalized)
    if m is None or not _WHAT.search(normalized[m.end() :] + normalized[: m.start()]):
        return None
    c = normalize(m.group(1) or m.group(2))
    return _NUMBER.get(c) or int(c)


def counting_sentence(
    passages: Passages,
    doc: Doc,
    n: int,
    question: str,
    spans: list[tuple[int, int]],
    lemmas: frozenset[str] = frozenset(),
) -> tuple[Doc, Sentence] | None:
    """The one sentence that names ``doc`` as the question (compact) does, by one of its names or a
    span that matched it, and counts ``n`` things (in the record's own text or another's); None
    when sentences of several records do, or none."""
    mark = f"{n}つ"
    names = {compact(normalize(name)) for name, *_ in doc.names} | {question[a:b] for a, b in spans}
    names = {name for name in names if len(name) >= MIN_NAME and name in question}
    found = [s for s in passages.statements if mark in s.compact and any(name in s.compact for name in names)]
    if not found or len({s.doc for s in found}) > 1:
        return None
    # the one saying most of the question's words (「どんな強みに着目して4つに」), else the shortest
    chosen = min(found, key=lambda s: (-len(lemmas & s.lemmas), len(s.compact)))
    return passages.index.docs[chosen.doc], chosen
