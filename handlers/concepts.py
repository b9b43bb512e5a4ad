"""Concepts the strategy names in 「」 and explains only in its running text.

「多核連携都市」 is no glossary term: the strategy says what it is once, in the sentence that first puts it
in quotes beside what makes it (「…拠点が相互に連携することで…人口密度が維持された…「多核連携都市」を
実現し…」), and afterwards only names it. 「多核連携都市ってどういうまちのこと？」 is answered by that
sentence, not by the 施策 whose title repeats the name.
"""

from __future__ import annotations

import re
from functools import cached_property

from handlers.passage import Passages, Sentence
from nlp.index import Doc
from nlp.normalize import compact, normalize

_QUOTED = re.compile(r"「([^「」]{4,20})」")
# what the name is, asked right after it (「多核連携都市ってどういうまち？」), not something else about it
# (「「データに基づく」って何を作るんですか」, 「地方創生で…制度はなんですか」)
# 「…って（よく聞くけど、）要するにどういう…」「…ってようわからんけど、どげんこと？」
_WHAT_IT_IS = re.compile(
    r"^(って|とは|っていうのは|というのは|は)([^?？。]{0,12}(けど|けれど|が)[、,]?)?"
    r"(そもそも|一体|要するに|結局|つまり)?(どういう|どんな|どげん|どがん|何|なに|なん)(?!を|が)|^の意味|^とは"
)
MIN_EXPLAINING = 60  # characters of a sentence that explains what it names, not just names it


def _after(text: str, name: str) -> list[str]:
    """What follows each place ``text`` says ``name``."""
    out, start = [], text.find(name)
    while start >= 0:
        out.append(text[start + len(name) :])
        start = text.find(name, start + 1)
    return out


class Concepts:
    def __init__(self, passages: Passages):
        self.passages = passages

    @cached_property
    def _explained(self) -> dict[str, Sentence]:
        """Each quoted name, with the first sentence long enough to explain it, in the records' order."""
        out: dict[str, Sentence] = {}
        for s in self.passages.statements:
            if len(s.compact) < MIN_EXPLAINING:
                continue
            for name in _QUOTED.findall(s.text):
                out.setdefault(compact(normalize(name)), s)
        return out

    def explaining(self, question: str, besides: set[str]) -> tuple[Doc, Sentence] | None:
        """The sentence explaining the longest quoted name the question (compact) says, unless that
        name is one of ``besides`` (the official name of the record already found: its card says it)."""
        question = question.replace("「", "").replace("」", "")
        said = [
            name
            for name in self._explained
            if name not in besides and any(_WHAT_IT_IS.match(rest) for rest in _after(question, name))
        ]
        if not said:
            return None
        s = self._explained[max(said, key=len)]
        return self.passages.index.docs[s.doc], s
