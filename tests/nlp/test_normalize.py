"""Normalization: the same analyzer for the index and for questions."""

from __future__ import annotations

import pytest

from nlp.normalize import compact, has_kanji, loose_kana, normalize, strip_controls, to_katakana


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＫＰＩ一覧", "kpi一覧"),
        ("ＳＤＧｓとは", "sdgsとは"),
        ("ｹｰﾋﾟｰｱｲ", "ケーピーアイ"),
        ("Society 5.0", "society 5.0"),
        ("スクールカウンセラ―の意味", "スクールカウンセラーの意味"),  # U+2015 after kana
        ("インキュベ-タ", "インキュベータ"),
        ("①の取組み", "1の取組"),
        ("子供の数", "子どもの数"),
        ("障害者雇用", "障がい者雇用"),
        ("空家対策", "空き家対策"),
        ("  待機児童\u3000の目標\n は ", "待機児童 の目標 は"),
        ("a\u200bb\x00c", "abc"),
        ("2020-2023", "2020-2023"),  # a dash between digits is not a long vowel
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_is_idempotent() -> None:
    for text in ("ＫＰＩ", "ｹｰﾋﾟｰｱｲ", "ワーク・ライフ・バランス", "子供"):
        assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ワーク・ライフ・バランス", "ワークライフバランス"),
        ("「熊本市結婚・子育て応援サイト」", "熊本市結婚子育て応援サイト"),
        ("Society 5.0", "society5.0"),
        ("待機児童は？", "待機児童は"),
    ],
)
def test_compact_forms_meet(a: str, b: str) -> None:
    assert compact(a) == compact(b)


def test_kana_helpers() -> None:
    assert to_katakana("たいきじどう") == "タイキジドウ"
    assert loose_kana("インキュベーター") == loose_kana("いんきゅべーた")
    assert loose_kana("ディーエムオー") == loose_kana("でぃーえむおー")
    assert has_kanji("待機") and not has_kanji("たいき")


def test_strip_controls_keeps_text() -> None:
    assert strip_controls("熊本\t市\r\n") == "熊本 市  "
    assert strip_controls("\x07\x1b[31m赤\u202e") == "[31m赤"
