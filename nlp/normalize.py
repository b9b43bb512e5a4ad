"""Text normalization shared by the index and every query (the same analyzer on both sides).

- ``normalize``: NFKC (ＫＰＩ → KPI, ｹｰﾋﾟｰｱｲ → ケーピーアイ, ① → 1), Latin case-folding, control
  characters removed, dashes after kana unified to the long-vowel mark, common variant spellings.
- ``compact``: ``normalize`` without spaces, middle dots, brackets and quotes: the form phrases
  are matched in (「ワーク・ライフ・バランス」 and 「ワークライフバランス」 meet here).
- ``to_katakana`` / ``loose_kana``: readings compared without long vowels and small-kana noise.
- ``without_lone_surrogates`` / ``scrub_surrogates``: a lone UTF-16 surrogate (valid in JSON as
  ``"\\ud800"``, but not text: it cannot be encoded, logged or stored) becomes U+FFFD.
"""

from __future__ import annotations

import re
import unicodedata

# Orthographic variants (not synonyms): the same word written another way.
_VARIANTS = (
    ("子供", "子ども"),
    ("障碍", "障がい"),
    ("障害者", "障がい者"),
    ("空家", "空き家"),
    ("空屋", "空き家"),
    ("空き屋", "空き家"),
    ("取組み", "取組"),
    ("取り組み", "取組"),
    ("取り組", "取組"),
    ("ヶ所", "か所"),
    ("ヵ所", "か所"),
    ("ヶ月", "か月"),
    ("ヵ月", "か月"),
    ("おこなう", "行う"),
    ("政令市", "政令指定都市"),  # the common short form of the document's term
    ("実態調査", "実体調査"),  # the document prints 「実体調査」 for the survey of vacant houses
)

# After NFKC: characters that stand for the long-vowel mark when they follow kana.
_DASHES = "-‐‑‒–—―−~〜～"
_DASH_AFTER_KANA = re.compile(rf"(?<=[ぁ-ゖァ-ヺー])[{re.escape(_DASHES)}]")
_SPACES = re.compile(r"\s+")
# Removed in the compact form: spaces, middle dots, brackets, quotes and similar punctuation.
_COMPACT_DROP = re.compile(r"[\s・･\u30fb「」『』【】\[\]()（）〈〉《》\"'“”‘’`、，,。．!！?？:：;；/／]+")

_HIRA_START, _HIRA_END = ord("ぁ"), ord("ゖ")
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (Python keeps real pairs as one code
    point, so any surrogate left in a ``str`` is a lone one)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def scrub_surrogates(value: object) -> object:
    """A parsed JSON value with :func:`without_lone_surrogates` applied to every string and key."""
    if isinstance(value, str):
        return without_lone_surrogates(value)
    if isinstance(value, list):
        return [scrub_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {without_lone_surrogates(str(k)): scrub_surrogates(v) for k, v in value.items()}
    return value


_SMALL_TO_LARGE = str.maketrans("ァィゥェォヵヶッャュョヮ", "アイウエオカケツヤユヨワ")
_LOOSE = str.maketrans({"ヴ": "ブ", "ヂ": "ジ", "ヅ": "ズ", "ヲ": "オ", "ー": None, "・": None, " ": None})


# the ウ that lengthens an o- or u-row kana (キギョウ, チュウスウ): romaji in Hepburn leaves it out
_LONG_U = re.compile(r"(?<=[オコソトノホモヨロゴゾドボポクスツヌフムユルグズブプ])ウ")

_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def strip_controls(text: str) -> str:
    """Drop control and format characters (keep line breaks as spaces)."""
    text = text.translate(_BREAKS)
    if text.isprintable() or all(ch.isprintable() or ch.isspace() for ch in text):
        return text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\r\t":
            out.append(" ")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def normalize(text: str) -> str:
    """The normalized form of a question or of indexed text."""
    text = unicodedata.normalize("NFKC", strip_controls(text))
    text = text.casefold()
    text = _DASH_AFTER_KANA.sub("ー", text)
    for old, new in _VARIANTS:
        if old in text:
            text = text.replace(old, new)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """Normalized text without spaces, dots, brackets and quotes: phrases are matched in this form."""
    return compact_piece(normalize(text))


def compact_piece(normalized: str) -> str:
    """The compact form of already normalized text (for mapping words to compact positions)."""
    return _COMPACT_DROP.sub("", normalized)


def to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if _HIRA_START <= ord(c) <= _HIRA_END else c for c in text)


def loose_kana(kana: str) -> str:
    """A reading with long vowels, dots and small-kana differences removed."""
    return _LONG_U.sub("", to_katakana(kana).translate(_SMALL_TO_LARGE).translate(_LOOSE))


def is_kana(ch: str) -> bool:
    return "ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or ch == "ー"


def has_kanji(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)
