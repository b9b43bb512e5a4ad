"""Where the question itself starts: people explain their situation first, then ask.

「うちは小さな八百屋をやっていますが、商店街がさびれてきて困っています。市は何かしてくれますか？」
has two sentences of context and then the question. Words of the context still say what the question
is about when a record explains them (商店街), but a word the strategy never uses (八百屋) must not
count against the answer the way an unexplained word of the question itself does.

The asked part is what follows the last boundary: the end of a sentence (。！？, a line break or a
space after a word, as people type on a phone) or a clause joined by a conjunctive particle that sets
the scene (〜が、〜けど、〜ので、〜から、〜し), or a 〜とき、/〜場合、 clause.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.tokenize import Token

SENTENCE_END = frozenset("。．.!！?？\n")
# conjunctive particles after which the main clause (the question) follows
_SCENE_SETTERS = frozenset(("が", "けど", "けれど", "けれども", "ので", "のに", "から", "し"))


# nouns that make a clause the scene of the question when a comma follows (「困ったとき、」「引っ越す
# 場合は、」): the question is what comes after
_SCENE_NOUNS = frozenset(("とき", "時", "場合", "際"))


def _boundary(tokens: Sequence[Token], i: int) -> bool:
    t = tokens[i]
    if t.pos1 == "補助記号" and (t.pos2 == "句点" or t.surface in SENTENCE_END):
        return True
    if t.surface in ("、", ",") and i > 0:
        before = i - 2 if tokens[i - 1].surface in ("に", "は", "には") and i > 1 else i - 1
        return tokens[before].surface in _SCENE_NOUNS and before > 0
    return t.pos2 == "接続助詞" and t.surface in _SCENE_SETTERS


def _spaced(tokens: Sequence[Token], text: str) -> set[int]:
    """Indexes of the tokens followed by white space in ``text`` (the tagger drops it)."""
    out: set[int] = set()
    pos = 0
    for i, t in enumerate(tokens):
        found = text.find(t.surface, pos)
        if found < 0:
            return out
        pos = found + len(t.surface)
        if pos < len(text) and text[pos].isspace() and not t.is_symbol and not t.surface.isascii():
            out.add(i)
    return out


def ask_span(tokens: Sequence[Token], text: str = "") -> tuple[int, int]:
    """The asked part as token indexes [start, end): the last question (a sentence ending in ？) when
    there is one, else the last sentence or clause. What stands around it is the asker's situation:
    「目標は何％？就活中の大学生です」 asks first and explains after. ``text`` is what was tokenized:
    on a phone a space often ends a sentence (「出会いがありません笑 市って…」), and only it shows that."""
    spaced = _spaced(tokens, text) if text else set()
    cuts = [
        i + 1
        for i in range(len(tokens) - 1)
        if (_boundary(tokens, i) or i in spaced) and any(not t.is_symbol for t in tokens[i + 1 :])
    ]
    sentences = list(zip([0, *cuts], [*cuts, len(tokens)], strict=True))
    asked = [(s, e) for s, e in sentences if any(t.surface in ("?", "？") for t in tokens[s:e]) and e - s > 1]
    return asked[-1] if asked else sentences[-1] if sentences else (0, 0)


def ask_start(tokens: Sequence[Token], text: str = "") -> int:
    """Index of the first token of the asked part (see ``ask_span``)."""
    return ask_span(tokens, text)[0]
