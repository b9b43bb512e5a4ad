"""Years named in questions, in western form."""

from __future__ import annotations

import pytest

from nlp.normalize import normalize
from nlp.years import find_years, mask_years


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2030年の人口目標は？", [2030]),
        ("令和5年度の観光消費額", [2023]),
        ("令和元年", [2019]),
        ("平成30年の実績", [2018]),
        ("R5(2023)の目標値", [2023]),
        ("H30とH31", [2018, 2019]),
        ("2019年8月7日の会議", [2019]),
        ("第2回の会議", []),
        ("65歳以上", []),
        ("70万人", []),
        ("society5.0", []),
        ("平成29年と30年の実績", [2017, 2018]),
        ("平成28年、29年、30年", [2016, 2017, 2018]),
        ("平成30年と5人", [2018]),
        ("地震のあった年は？", [2016]),
        ("地震があった平成28年は", [2016]),
        ("熊本地震の影響は", []),
        ("地震のときの避難", []),
        ("the year of the earthquake", [2016]),
        ("numbers for 2016 to 2019", [2016, 2017, 2018, 2019]),
        ("2016年から2019年まで", [2016, 2017, 2018, 2019]),
    ],
)
def test_find_years(text: str, years: list[int]) -> None:
    assert find_years(normalize(text)) == years


def test_mask_years_removes_them() -> None:
    assert "2030" not in mask_years(normalize("2030年の人口目標は"))
    assert mask_years(normalize("令和5年度の目標")).strip() == "の目標"


def test_the_event_before_a_year_is_masked_with_it() -> None:
    assert mask_years(normalize("地震があった平成28年はどうやった？")).strip() == "はどうやった?"
