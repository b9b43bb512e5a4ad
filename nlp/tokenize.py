"""Tokenization with fugashi + unidic-lite: surface, lemma and reading (katakana) of each word.

One tagger per process, built once and shared (MeCab taggers are safe to share for parsing under
a lock; parsing takes microseconds). Particles, auxiliaries, symbols, pronouns and a short list of
question/support verbs do not count for matching: ``Token.content`` is false for them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace

import fugashi

from nlp.normalize import is_kana, loose_kana, to_katakana
from nlp.romaji import romaji_reading

# Lemmas that carry no topic: support verbs, question verbs, formal nouns.
STOP_LEMMAS = frozenset(
    str.split(
        """
    為る 有る 居る 成る 下さる 教える 知る 聞く 言う 思う 出来る 分かる 見せる 致す 頂く 貰う 呉れる
    付く 願う 御願い 関する 対する 於く 因る 依る 行う 予定 場合 今 今日 事 物 為 様 方 所 時 等 他
    度 感じ 内容 について お願い 良い 好い 宜しい 無い 欲しい 見る 在る 違う 如何 いかが 何 どの位
    ください 的 上 以上 以下 未満 件 点 たち 達 ら 皆 全部 全て 色々 様々 是非 又 及び 並びに
    其れ 此れ 彼 此の 其の つく 付ける 対する 一緒 仕方 方法 具体 具体的 辺り 辺 頃 今後 最近 ちゃん さん
    様子 感じる 遣る 経由 ぐらい くらい 話 積り 筈 侭 書く 載る 全体 言葉 奴 やつ
    what whats is are was be the a an of does do did mean means meaning about tell me please how many
    much when where who why which in on at for to and or it this that there i you your my can could
    by from with as has have had will would should been being were into than so if not any some also
    just still only very more most s here now want wants like know get got we our they their its us
    me him her them he she been then during since until till per each every aim aims hope heard
    am come comes curious dont doesnt didnt isnt arent cant wont im ive need needs anything something
    say says said gonna wanna question questions fy according table then right
    テーマ スタート 時点 そんな こんな あんな 結局 要するに つまり 本当 毎年
    順 順番 順々 うち 以外
    """
    )
)

_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "接尾辞"})
_BUILD_LOCK = threading.Lock()
_LOCK = threading.Lock()
_TAGGER: fugashi.Tagger | None = None


def tagger() -> fugashi.Tagger:
    """The process-wide tagger (unidic-lite), built on first use; a broken install fails here."""
    global _TAGGER
    if _TAGGER is None:
        with _BUILD_LOCK:
            if _TAGGER is None:
                _TAGGER = fugashi.Tagger()
    return _TAGGER


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    lemma: str  # dictionary form, orthographic variants unified (取組 → 取り組み)
    reading: str  # katakana reading of the surface
    pos1: str
    pos2: str
    content: bool  # counts for matching
    pos3: str = ""

    @property
    def is_place(self) -> bool:
        return self.pos2 == "固有名詞" and self.pos3 == "地名"

    @property
    def is_symbol(self) -> bool:
        return self.pos1 in ("補助記号", "空白", "記号")


_ENGLISH_PLURAL = re.compile(r"^[a-z]{2,}[^aeiousy]s$|^[a-z]{3,}[aeo]s$")


# chat spellings foreign residents type (「how many ppl use…」), read as the word they shorten
_CHAT_ENGLISH = {
    "ppl": "people",
    "kpis": "kpi",  # an acronym's plural, unlike sdgs (the goals' own name)
    "yr": "year",
    "yrs": "year",
    "govt": "government",
    "gov": "government",
    "nums": "number",
    "uni": "university",
    "univ": "university",
    "grad": "graduate",
    "grads": "graduate",
    "pref": "prefecture",
    "intl": "international",
    "biz": "business",
    "info": "information",
    "dept": "department",
}


def english_lemma(word: str) -> str:
    """A plain English plural as its singular (births → birth, facilities → facility); acronyms
    (sdgs), -ss, -us and -is words are left as they are."""
    w = _CHAT_ENGLISH.get(word.casefold(), word.casefold())
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    w = w[:-1] if _ENGLISH_PLURAL.match(w) else w
    # a crude stem, the same for the records' English names and the questions: locating, located
    # and locate all become 「locat」
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    if w.endswith("al") and len(w) >= 7:  # agricultural and agriculture, both 「agricultur」
        w = w[:-2]
        return w[:-1] if w.endswith("e") and len(w) >= 6 else w
    for suffix in ("ism", "ist"):  # tourism and tourist, both 「touris」
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[:-1]
    return w[:-1] if w.endswith("e") and len(w) >= 6 else w


# words the tagger reads in a sense the strategy never means: its ノリ is the seaweed of ノリ養殖,
# not 乗り (a ride)
_SENSE = {"ノリ": "海苔"}


def _lemma(lemma: str | None, surface: str) -> str:
    if surface.isascii() and surface.isalpha():
        return english_lemma(surface)
    if surface in _SENSE:
        return _SENSE[surface]
    if not lemma or lemma == "*":
        return surface
    # Loanwords carry their origin: 「バス-bus」 → 「バス」.
    return lemma.split("-", 1)[0] or surface


_KANA_ONLY = re.compile(r"^[ぁ-ゖァ-ヺー]+$")


def _is_content(pos1: str, pos2: str, lemma: str, surface: str, after: str) -> bool:
    """``after`` is the part of speech of the previous word."""
    if pos1 not in _CONTENT_POS:
        return False
    if pos2 == "数詞":
        return surface.isdigit()  # figures count a little (「3つの取組」); 何 does not
    if pos2 == "非自立可能" and (pos1 == "名詞" or after in ("動詞", "助動詞", "形容詞", "接尾辞")):
        return False  # 「始め」 in 「会社を始めたい」 is a verb; in 「降り始める」 a helper
    if (pos1 == "接尾辞" and pos2 != "名詞的") or pos2 == "助動詞語幹":
        return False
    if lemma in STOP_LEMMAS or surface in STOP_LEMMAS or lemma.startswith("何") or surface.startswith("何"):
        return False
    return not (len(surface) == 1 and "ぁ" <= surface <= "ゖ")


def tokenize(text: str) -> list[Token]:
    """Tokens of already normalized text."""
    if not text:
        return []
    tg = tagger()
    with _LOCK:
        words = []
        spaced = []  # a space before the word
        countries = []  # the word names a country
        for w in tg(text):
            f = w.feature  # built on each access: read it once
            words.append((w.surface, f.lemma, f.kana, f.pos1 or "", f.pos2 or "", f.pos3 or ""))
            spaced.append(bool(w.white_space))
            countries.append(f.pos4 == "国" and f.lemma != "日本")
    out = []
    after = ""
    counter = False  # the previous word was 何 / 億 / 万…: a unit after it says what kind of figure
    for surface, raw_lemma, kana, pos1, pos2, pos3 in words:
        if surface == "会っ" and after == "名詞":
            # 「策定委員会って」「協議会って何」: the tagger reads 会って as the verb 会う
            surface, raw_lemma, kana, pos1, pos2, pos3 = "会", "会", "カイ", "名詞", "普通名詞", "一般"
        lemma = _lemma(raw_lemma, surface)
        if _KANA_ONLY.match(surface):
            reading = to_katakana(surface)  # what was typed, not the dictionary's guess
        elif surface.isascii() and lemma not in STOP_LEMMAS and (kana_spelt := romaji_reading(surface)):
            reading = kana_spelt  # 「kigyo ritchi」: the kana it spells
        else:
            reading = kana if kana and kana != "*" else surface
        content = _is_content(pos1, pos2, lemma, surface, after) and not (
            counter and pos1 in ("名詞", "接尾辞")
        )
        out.append(Token(surface, lemma, reading, pos1, pos2, content, pos3))
        after = pos1
        counter = pos2 == "数詞" and not surface.isdigit()
    return _joined(_foreign(_acronyms(out, spaced), countries))


# what a foreign country's name says of the asker, in the strategy's word for it: 「ベトナムから来て
# 働いています」 is a 外国人 (the strategy names no country; it speaks of 外国人 and 訪日外国人)
_FOREIGN = Token("", "外国", "", "名詞", "普通名詞", True, "一般")


def _foreign(tokens: list[Token], countries: list[bool]) -> list[Token]:
    if not any(countries) or any(t.lemma == _FOREIGN.lemma for t in tokens):
        return tokens  # (「外国人のための…」 written out says it already)
    out: list[Token] = []
    for t, country in zip(tokens, countries, strict=True):
        out.append(t)
        if country:
            out.append(_FOREIGN)  # no surface: it spans nothing of the text
    return out


def _acronyms(tokens: list[Token], spaced: list[bool]) -> list[Token]:
    """An English stop word written against Japanese text is an acronym: 「ITの技術」 is IT, not it
    (case is folded before tagging, so the neighbours tell; 「who is from 東海大学」 has a space)."""
    out = list(tokens)
    for k, t in enumerate(tokens):
        if t.content or len(t.surface) < 2 or not (t.surface.isascii() and t.surface.isalpha()):
            continue
        if t.lemma not in STOP_LEMMAS:
            continue
        glued = []
        if k > 0 and not spaced[k]:
            glued.append(tokens[k - 1].surface)
        if k + 1 < len(tokens) and not spaced[k + 1]:
            glued.append(tokens[k + 1].surface)
        if any(not s.isascii() for s in glued):
            out[k] = replace(t, content=True)
    return out


# words the tagger splits into parts that mean something else on their own: 市町村 is municipalities,
# not a 町 (まち) and a 村 (むら) as in 「まちとむら」
_JOINED = {("市", "町", "村"): ("市町村", "シチョウソン")}


def _joined(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for parts, (word, reading) in _JOINED.items():
            if tuple(t.surface for t in tokens[i : i + len(parts)]) == parts:
                first = tokens[i]
                out.append(Token(word, word, reading, first.pos1, first.pos2, True, first.pos3))
                i += len(parts)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def reading_of(tokens: list[Token]) -> str:
    """The loose katakana reading of a text (long vowels and small kana ignored)."""
    parts = []
    for t in tokens:
        if t.pos1 in ("補助記号", "空白") and not any(is_kana(c) for c in t.surface):
            continue  # punctuation; but a kana the tagger took for a symbol (「ぃ」) is still read
        parts.append(t.reading)
    return loose_kana("".join(parts))
