"""Where the names of records stand in a question: exact substrings of its compact form, long
names quoted in part, and the same over kana readings."""

from __future__ import annotations

import re
from collections import defaultdict

from nlp.index import Index


def _find(
    text: str, table: dict[str, list[int]], lengths: dict[str, list[int]], min_len: int
) -> list[tuple[int, int, int]]:
    """(start, end, phrase id) of every key of ``table`` found in ``text``; ``lengths`` maps the
    first two characters of the keys to their lengths, so only plausible substrings are looked up."""
    found: list[tuple[int, int, int]] = []
    n = len(text)
    for i in range(n - 1):
        for length in lengths.get(text[i : i + 2], ()):
            if length < min_len or i + length > n:
                continue
            pids = table.get(text[i : i + length])
            if pids:
                found.extend((i, i + length, pid) for pid in pids)
    return found


def _outermost(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop matches lying inside a longer one (「地方創生SDGs官民連携プラットフォーム」 hides 「SDGs」)."""
    spans = {(s, e) for s, e, _ in found}
    return [
        (s, e, pid)
        for s, e, pid in found
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2 in spans)
    ]


def _scan(
    text: str, table: dict[str, list[int]], lengths: dict[str, list[int]], min_len: int
) -> list[tuple[int, int, int]]:
    return _outermost(_find(text, table, lengths, min_len))


def _partial(index: Index, text: str) -> list[tuple[int, int, int]]:
    """Long names quoted in part: (start, end, phrase id) for each run of at least ``PARTIAL_MIN``
    characters of the question that is a substring of the name."""
    g = index.gram
    runs: dict[int, list[int]] = defaultdict(list)
    for i in range(len(text) - g + 1):
        for pid in index.by_gram.get(text[i : i + g], ()):
            runs[pid].append(i)
    out = []
    for pid, positions in runs.items():
        spans: list[tuple[int, int]] = []
        start = prev = positions[0]
        for p in [*positions[1:], None]:
            if p is not None and p == prev + 1:
                prev = p
                continue
            spans.append((start, prev + g))
            if p is not None:
                start = prev = p
        name = index.phrases[pid].compact
        for s, e in spans:  # every long enough run: a name may be quoted in two pieces
            if e - s >= PARTIAL_MIN and text[s:e] in name and not _place_only(text[s:e]):
                out.append((s, e, pid))
    return out


PARTIAL_MIN = 8
# a run that is only the city's or prefecture's name (「in kumamoto prefecture」「熊本市における」) quotes
# no name in particular: every record is of Kumamoto
_PLACE_WORDS = re.compile(r"in|of|the|for|from|kumamoto|prefectur(e|al)?|city|熊本|県|市|内|における|の|全体")


def _place_only(run: str) -> bool:
    """Whether a run is the city's or prefecture's name and nothing more (a run may start or end
    inside a word: 「…wage in kumamoto prefecture」 gives 「einkumamotoprefecture」)."""
    return len(_PLACE_WORDS.sub("", run)) <= 2
