"""Nouns typed in kana, written as the strategy writes them: 「じんこうは」 → 「人口は」.

People who type in kana only (elderly residents on a phone, children, learners of Japanese) split
their words with spaces: 「くまもとしの じんこうは 2050ねんに…」. The tagger reads many such runs as
other words (じんこう → 腎 + 膏), and the question loses its topic. A run of kana that begins with the
reading of a word of the strategy (two kanji or more, read with three kana or more, and only one
such word reads so) is written with that word, and so is each word that follows it after a particle,
when the word ends there: 「ちいきの」 → 「地域の」, 「さんかしてる」 → 「参加してる」, but
「こうれいしゃ」 is not 高齢 + しゃ. A reading the strategy itself writes in kana
(しごと, まちづくり) is left as it is, and so is a run that begins with no word of the strategy.
ぢ and づ are read as じ and ず, as people often type them (「ぢしん」 is 地震).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from nlp.tokenize import tokenize

_RUN = re.compile(r"[ぁ-ゖー]{3,}")
_KANJI_WORD = re.compile(r"[一-龥々]{2,}")
_WORD_CHAR = re.compile(r"[一-龥々ァ-ヶー0-9A-Za-z]")
_PARTICLES = ("って", "から", "まで", "は", "が", "を", "に", "の", "も", "と", "で", "や", "へ")
# a noun done (参加してる, 交換できる): the word ends where the verb begins
_DOING = re.compile(r"し(て|た|ま|な|と|よ)|する|すれ|させ|され|でき")
_DEMONSTRATIVES = ("この", "その", "あの", "どの")
MIN_READING = 3  # kana: shorter readings match by chance
_YOTSUGANA = str.maketrans("ぢづ", "じず")  # 「ぢしん」「つずく」: the same sounds, typed either way


def _hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in katakana)


class KanaWords:
    """The strategy's words by their kana reading, built on first use from its vocabulary."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        bodies: Iterable[str],
        names: Iterable[list[str]] = (),
    ):
        self._vocabulary = vocabulary
        self._bodies = bodies  # the records' own text (names carry readings and kana aliases)
        self._names = names  # each record's names, its written name first
        self._by_reading: dict[str, str] | None = None
        self._longest = 0

    def _build(self) -> dict[str, str]:
        words: dict[str, set[str]] = defaultdict(set)
        for lemma in self._vocabulary:
            if not _KANJI_WORD.fullmatch(lemma):
                continue
            reading = _hiragana("".join(t.reading for t in tokenize(lemma)))
            if len(reading) >= MIN_READING and _RUN.fullmatch(reading):
                words[reading].add(lemma)
        text = "\n".join(self._bodies).translate(_YOTSUGANA)
        folded: dict[str, set[str]] = defaultdict(set)
        for reading, lemmas in words.items():
            if (key := reading.translate(_YOTSUGANA)) not in text:
                folded[key] |= lemmas
        by_reading = {reading: next(iter(lemmas)) for reading, lemmas in folded.items() if len(lemmas) == 1}
        by_reading.update((kana.translate(_YOTSUGANA), w) for kana, w in self._aliases().items())
        self._longest = max(map(len, by_reading), default=0)
        return by_reading

    def _aliases(self) -> dict[str, str]:
        """A reading the data gives a record (「しゅっせいすう」 for 出生数): its written name, when no
        other record has the same reading."""
        found: dict[str, set[str]] = defaultdict(set)
        for names in self._names:
            written = next((n for n in names if _KANJI_WORD.search(n) and len(n) <= 12), None)
            if written is None:
                continue
            for name in names:
                if _RUN.fullmatch(name) and len(name) > MIN_READING:
                    found[name].add(written)
        return {kana: next(iter(w)) for kana, w in found.items() if len(w) == 1}

    def written(self, text: str) -> str:
        """``text`` with its kana runs that spell words of the strategy written in kanji."""
        if not _RUN.search(text):
            return text
        if self._by_reading is None:
            self._by_reading = self._build()
        return _RUN.sub(self._run, text)

    def _run(self, m: re.Match[str]) -> str:
        written, out, i = m.group(), [], 0
        run = written.translate(_YOTSUGANA)
        before = m.string[m.start() - 1] if m.start() else ""
        if _WORD_CHAR.match(before):  # kana after a kanji: its ending (開けんと), or a particle
            particle = next((p for p in _PARTICLES if run.startswith(p)), "")
            if not particle:
                return written
            out.append(particle)
            i = len(particle)
        else:  # 「このそうごうせんりゃくの」: a demonstrative before the word
            det = next((d for d in _DEMONSTRATIVES if run.startswith(d)), "")
            if det and self._word_at(run, len(det)) is not None:
                out.append(det)
                i = len(det)
        while i < len(run):
            word = self._word_at(run, i)
            if word is None:
                break
            after = i + len(word)
            particle = next((p for p in _PARTICLES if run.startswith(p, after)), "")
            if not (after == len(run) or particle or _DOING.match(run, after)):
                break  # 「こうれいしゃ」「ほいくしさん」: a longer word (高齢者, 保育士), not 高齢 + しゃ
            out.append(self._by_reading[word] + particle)  # type: ignore[index]
            i = after + len(particle)
        return "".join(out) + written[i:]

    def _word_at(self, run: str, i: int) -> str | None:
        """The longest reading of a strategy word that starts at ``i``."""
        words = self._by_reading or {}
        for end in range(min(len(run), i + self._longest), i + MIN_READING - 1, -1):
            if run[i:end] in words:
                return run[i:end]
        return None
