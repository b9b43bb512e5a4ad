"""Aspect words typed with a wrong kanji of the same reading."""

import pytest

from nlp.homophones import corrected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("企業誘致の件数の目票は？", "企業誘致の件数の目標は？"),
        ("出生数の基順値は？", "出生数の基準値は？"),
        ("出生数の実積は？", "出生数の実績は？"),
    ],
)
def test_a_same_reading_kanji_is_taken_for_the_aspect_word(typed: str, meant: str) -> None:
    assert corrected(typed) == meant


@pytest.mark.parametrize("text", ["熊本市標準の目標", "目的は？", "単位は？", "議事録の表示"])
def test_words_of_their_own_are_left_as_typed(text: str) -> None:
    assert corrected(text) == text
