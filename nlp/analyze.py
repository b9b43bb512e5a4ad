"""One analyzer for indexed text and for questions: normalized, compact, tokens, topic lemmas, reading."""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.normalize import compact, normalize
from nlp.tokenize import Token, reading_of, tokenize

# Bump when the analyzer's output changes: cached analyses of the corpus are then rebuilt.
ANALYZER_VERSION = "97"

# Words that say what kind of answer is wanted, not what it is about: they never count as topic.
INTENT_LEMMAS = frozenset(
    str.split(
        """
    目標 目標値 基準 基準値 実績 実績値 達成 意味 定義 一覧 リスト 取り組み 取組 施策 対策 状況 進捗 数値 推移
    現状 値 数字 説明 概要 詳細 詳しい 中身 指標 質問 答え 回答 最新 結果 どれ位 くらい 位 見込み 具合
    幾ら 幾つ 目指す 予定 状態 程度 程 単位 年度 期限 所属 役職 肩書き 場所 会場 議題 日時 日程
    理由 原因 要因 前期 最終 名前 名称 略語 略称
    target goal baseline number value figure mean meaning stand definition latest actual result status
    progress unit agenda venue place held date time full
    """
    )
)


# Words that name the strategy itself (熊本市, 総合戦略): every record is about them, so in a question
# they frame it rather than say what it is about.
FRAME_LEMMAS = frozenset(
    str.split(
        "熊本 クマモト 市 本市 熊本市 総合 戦略 期"
        " kumamoto city strategy document plan revitalization revitalisation"
    )
)

# What a frame word takes after it and stays the frame (「市内の空き家」 is about 空き家; 「県内」 is not
# the frame, and keeps its 内)
_FRAME_SUFFIXES = frozenset({"内", "全体", "全域"})


@dataclass(frozen=True, slots=True)
class Analyzed:
    raw: str
    normalized: str
    compact: str
    tokens: tuple[Token, ...]
    lemmas: tuple[str, ...]  # topic lemmas in order (content words minus intent words)
    reading: str  # loose katakana reading of the whole text
    bigrams: tuple[str, ...] = field(default=())  # adjacent topic lemmas, "a|b"

    @property
    def lemma_set(self) -> frozenset[str]:
        return frozenset(self.lemmas)


def analyze(text: str, *, max_chars: int = 400) -> Analyzed:
    """Analyze ``text`` (questions are cut to ``max_chars`` before matching)."""
    norm = normalize(text)[:max_chars]
    tokens = tuple(tokenize(norm))
    lemmas: list[str] = []
    bigrams: list[str] = []
    prev: str | None = None
    after_frame = False
    for t in tokens:
        framed = after_frame and t.lemma in _FRAME_SUFFIXES  # 「市内」「市全体」: still the frame
        after_frame = t.lemma in FRAME_LEMMAS
        if (
            t.content
            and not framed
            and t.lemma not in INTENT_LEMMAS
            and t.surface not in INTENT_LEMMAS
            and t.lemma not in FRAME_LEMMAS
        ):
            lemma = t.lemma.casefold()
            lemmas.append(lemma)
            if prev is not None:
                bigrams.append(f"{prev}|{lemma}")
            prev = lemma
        elif t.pos1 not in ("助詞", "補助記号"):
            prev = None
    return Analyzed(
        raw=text,
        normalized=norm,
        compact=compact(norm),
        tokens=tokens,
        lemmas=tuple(lemmas),
        reading=reading_of(list(tokens)),
        bigrams=tuple(bigrams),
    )
