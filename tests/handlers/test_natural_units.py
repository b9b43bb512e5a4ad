"""Figures read as people say them where the printed unit is a scale (十億円, 千人), printed figure kept."""

from __future__ import annotations

import pytest

from handlers.numbers import natural, with_natural


@pytest.mark.parametrize(
    ("value", "unit", "reading"),
    [
        (2496, "十億円", "2兆4,960億円"),
        (2000, "十億円", "2兆円"),
        (1.5, "十億円", "15億円"),
        (12500, "億円", "1兆2,500億円"),
        (53721, "千人", "5,372万1,000人"),
        (735, "億円", None),  # already natural
        (326, "万件", None),
        (6, "人", None),
        (78.15, "％", None),
        (-120, "千人", None),
    ],
)
def test_natural(value: float, unit: str, reading: str | None) -> None:
    assert natural(value, unit) == reading


def test_with_natural_keeps_the_printed_figure() -> None:
    assert with_natural(2496, "十億円") == "2,496十億円（2兆4,960億円）"
    assert with_natural(852, "億円", "at_least") == "852億円以上"
