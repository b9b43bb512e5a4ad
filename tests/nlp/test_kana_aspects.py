"""Aspect words typed in kana, and 熊本弁 どぎゃん before a noun, read as the strategy writes them."""

import pytest

from nlp.dialect import standard


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


def test_a_verb_going_on_in_kumamoto_dialect() -> None:
    assert standard("赤ちゃん年に何人生まれよると?") == "赤ちゃん年に何人生まれているの?"
