"""One-character typos in longer terms."""

from __future__ import annotations

import pytest

from nlp.fuzzy import FuzzyIndex, within_one


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("耐候性", "耐光性", True),
        ("シンボルプロムナード", "シンボルプロムナート", True),
        ("インキュベータ", "インキュベーダ", True),
        ("abc", "abcd", True),
        ("abcd", "abc", True),
        ("abc", "abc", True),
        ("abc", "axc", True),
        ("abc", "xyz", False),
        ("abcd", "ab", False),
        ("abcd", "abdc", False),  # a swap is two edits
    ],
)
def test_within_one(a: str, b: str, expected: bool) -> None:
    assert within_one(a, b) is expected


def test_finds_a_typo_but_not_short_words() -> None:
    index = FuzzyIndex(["低コスト耐候性ハウス", "観光", "シンボルプロムナード"])
    hits = index.find("低コスト耐光性ハウスとは")
    assert (0, 10, "低コスト耐候性ハウス") in hits
    assert index.find("観点") == []  # two-character names are never matched loosely
    # a name present exactly is excluded by the caller: no window near it is taken for a typo
    assert index.find("シンボルプロムナードとは", exclude={"シンボルプロムナード"}) == []
