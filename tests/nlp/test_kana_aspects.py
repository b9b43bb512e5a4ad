"""Aspect words typed in kana, and 熊本弁 どぎゃん before a noun, read as the strategy writes them."""

import pytest

from nlp.dialect import standard
from nlp.normalize import normalize


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("きじゅんちは？", "基準値は？"),
        ("出生数のじっせきは", "出生数の実績は"),
        ("たんいは？", "単位は？"),
        ("それってどぎゃんハウス？", "それってどんなハウス？"),
        ("どぎゃんなっとる？", "どうなっているの？"),
    ],
)
def test_standard(typed: str, plain: str) -> None:
    assert standard(typed) == plain


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("へいせい28ねんわ？", "平成28年は?"),
        ("単位わ?", "単位は?"),
        ("いいわ", "いいわ"),
        ("わかる?", "わかる?"),
    ],
)
def test_the_particle_typed_as_it_sounds(typed: str, read: str) -> None:
    assert standard(normalize(typed)) == read


def test_a_verb_going_on_in_kumamoto_dialect() -> None:
    assert standard("赤ちゃん年に何人生まれよると?") == "赤ちゃん年に何人生まれているの?"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("くまもとしの じんこうは 2050ねんに", "くまもとしの 人口は 2050ねんに"),
        ("熊本市のじんこうは", "熊本市の人口は"),  # kana after a particle
        ("ちいきの かつどうに さんかしてる", "地域の 活動に 参加してる"),
        ("こうれいしゃの", "こうれいしゃの"),  # 高齢者, not 高齢 + しゃ
        ("ほいくしさんが", "ほいくしさんが"),  # 保育士, not 保育 + 資産
        ("何人以上出席せんと開けんと？", "何人以上出席せんと開けんと？"),  # a verb's ending
        ("しごとを さがしてます", "しごとを さがしてます"),  # the strategy writes しごと in kana
        ("しゅっせいすうの もくひょう", "出生数の もくひょう"),  # a reading the data gives a record
    ],
)
def test_nouns_typed_in_kana_are_written_as_the_strategy_writes_them(
    answerer: object, typed: str, written: str
) -> None:
    assert answerer.index.kana_words.written(typed) == written  # type: ignore[attr-defined]
