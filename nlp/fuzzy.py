"""One-character typos in longer terms: a deletion-neighbourhood index (SymSpell, distance 1).

Every phrase of at least ``min_len`` characters is indexed under itself and under each form with
one character deleted. A window of the question matches when it shares a key with a phrase and the
two are within Levenshtein distance 1 (one substitution, insertion or deletion).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def _deletes(s: str) -> set[str]:
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


def within_one(a: str, b: str) -> bool:
    """Levenshtein distance between ``a`` and ``b`` is at most 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


class FuzzyIndex:
    def __init__(self, phrases: Iterable[str], *, min_len: int = 5, max_len: int = 24):
        self.min_len = min_len
        self._keys: dict[str, set[str]] = defaultdict(set)
        self._lengths: set[int] = set()
        for p in set(phrases):
            if min_len <= len(p) <= max_len:
                self._lengths.add(len(p))
                self._keys[p].add(p)
                for d in _deletes(p):
                    self._keys[d].add(p)

    def find(self, text: str, exclude: set[str] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, phrase) for windows of ``text`` within distance 1 of a phrase (not exact)."""
        if not self._lengths:
            return []
        out: list[tuple[int, int, str]] = []
        seen: set[tuple[int, int, str]] = set()
        n = len(text)
        window_lengths = sorted(
            {w for L in self._lengths for w in (L - 1, L, L + 1) if w >= self.min_len - 1}
        )
        keys = self._keys.get  # the hot loop: a lookup per window and per one-deletion of it
        for w in window_lengths:
            if w > n:
                break
            for i in range(n - w + 1):
                window = text[i : i + w]
                candidates: set[str] = set()
                hit = keys(window)
                if hit:
                    candidates.update(hit)
                for j in range(w):  # each one-character deletion, without building the set of them
                    hit = keys(window[:j] + window[j + 1 :])
                    if hit:
                        candidates.update(hit)
                for phrase in candidates:
                    if phrase == window or (exclude and phrase in exclude):
                        continue
                    if within_one(window, phrase) and (i, i + w, phrase) not in seen:
                        seen.add((i, i + w, phrase))
                        out.append((i, i + w, phrase))
        return out
