"""Aspect words typed with a wrong kanji of the same reading: 目票 for 目標, 基順値 for 基準値.

A phone's input method offers every kanji that reads モクヒョウ, and a hurried thumb picks the wrong
one. The tagger then splits the word (目 + 票) and the question loses what it asks. For the few words
that say what is asked of a record, a two-kanji window that keeps one of the word's kanji and has,
in place of the other, a kanji read the same way is taken for the word, when it stands alone (no
kanji joined to it but 値: 「基順値」, never the 市標 of 「市標準」).
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.tokenize import tokenize

# each aspect word with the reading of each of its two kanji
_WORDS: dict[str, tuple[str, str]] = {
    "目標": ("モク", "ヒョウ"),
    "基準": ("キ", "ジュン"),
    "実績": ("ジツ", "セキ"),
    "指標": ("シ", "ヒョウ"),
    "単位": ("タン", "イ"),
    "現状": ("ゲン", "ジョウ"),
    "進捗": ("シン", "チョク"),
}
_KANJI = re.compile(r"[一-龥]")


@lru_cache(maxsize=512)
def _reading(kanji: str) -> str:
    tokens = tokenize(kanji)
    return tokens[0].reading if len(tokens) == 1 else ""


def _stands_for(window: str) -> str | None:
    for word, readings in _WORDS.items():
        for i in (0, 1):
            keep = 1 - i
            if window[keep] != word[keep] or window[i] == word[i] or not _KANJI.match(window[i]):
                continue
            if _reading(window[i]) == readings[i]:
                return word
    return None


def corrected(text: str) -> str:
    """``text`` with aspect words typed with a same-reading wrong kanji written as the word."""
    if not any(k in text for word in _WORDS for k in word):
        return text
    out = list(text)
    for i in range(len(text) - 1):
        before, after = text[i - 1 : i] if i else "", text[i + 2 : i + 3]
        if _KANJI.match(before) or (_KANJI.match(after) and after != "値"):
            continue
        word = _stands_for(text[i : i + 2])
        if word is not None:
            out[i : i + 2] = list(word)
    return "".join(out)
