"""Japanese words typed in Latin letters (「kigyo ritchi」, 「renkei chusu toshiken」).

Foreign residents often write the Japanese name of a thing in romaji inside an English question. Such a
word is given the kana reading it spells, so it matches a record's name by reading like typed kana
does. Hepburn drops long vowels (kigyo for きぎょう); readings are compared loosely, long vowels
aside (``nlp.normalize.loose_kana``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import jaconv

MIN_LETTERS = 3  # 「to」「no」 are English far more often than Japanese
_LATIN = re.compile(r"[a-z]")
_HEPBURN_M = re.compile(r"m(?=[bp])")  # shimbun: jaconv spells ん before b and p as n


@lru_cache(maxsize=4096)
def romaji_reading(word: str) -> str | None:
    """The katakana ``word`` spells when it is well-formed romaji, else None (「total」 is not)."""
    w = word.casefold()
    if len(w) < MIN_LETTERS or not w.isascii() or not w.isalpha():
        return None
    kana = jaconv.alphabet2kana(w)
    # well-formed only when the kana spell it back (「total」 gives とたる, spelt totaru)
    if _LATIN.search(kana) or jaconv.kana2alphabet(kana) != _HEPBURN_M.sub("n", w.replace("tch", "cch")):
        return None
    return jaconv.hira2kata(kana)
