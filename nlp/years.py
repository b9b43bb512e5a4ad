"""Years named in a question: 西暦 (2030年), 令和/平成 (令和5年度, R5, H30), converted to western years.

Years are constraints, not topic words: they are masked out of the text before matching so that a
year alone never makes a record look relevant (「2030年」 must not pull in SDGs' 2030).
"""

from __future__ import annotations

import re

_ERA = {"令和": 2018, "平成": 1988, "r": 2018, "h": 1988}
# Applied to normalized (NFKC, case-folded) text.
# 「平成29年と30年」「H29、30」: years after an era year, in the same era
_SAME_ERA = r"(?:\s*(?:と|、|,|・|や|から|〜|~)\s*[0-9]{1,2}(?:\s*年度?|(?=\s*(?:$|[はのでをもと、,?？]))))*"
_MORE = re.compile(r"(?:と|、|,|・|や|から|〜|~)\s*([0-9]{1,2})")
_PATTERNS = (
    # the year of the Kumamoto earthquake, named by the event (「地震のあった年」), as the strategy
    # itself dates it: 熊本地震は平成28（2016）年4月に発生
    re.compile(
        r"(?:熊本)?(?:地震|震災)(?:が|の)?(?:あった|起きた|起こった|発生した)?(?:年度?)(?![0-9])"
        r"|(?:熊本)?(?:地震|震災)(?:が|の)(?:あった|起きた|起こった|発生した)(?=\s*(?:平成|令和|h|r|20|19)[0-9])"
        r"|\b(?:the )?year of the (?:big |kumamoto )?earthquake\b|\bearthquake year\b"
    ),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])(?:\s*年度?)?"),
    re.compile(
        r"(令和|平成)\s*([0-9]{1,2}|元)\s*(?:年度?)?(?:\s*\(\s*(?:19|20)[0-9]{2}\s*\)\s*(?:年度?)?)?"
        + _SAME_ERA
    ),
    re.compile(
        r"(?<![a-z0-9])([rh])\s*([0-9]{1,2})(?![0-9])(?:\s*年度?)?(?:\s*\(\s*(?:19|20)[0-9]{2}\s*\))?"
        + _SAME_ERA
    ),
)
_EVENT_YEAR = 2016
_RANGE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})\s*年?度?\s*(?:to|through|until|-|–|〜|~|から)\s*((?:19|20)[0-9]{2})(?![0-9])"
)
MAX_RANGE = 8


def find_years(text: str) -> list[int]:
    """Western years named in normalized ``text``, in order of appearance, without repeats."""
    found: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if m.lastindex is None:
                year = _EVENT_YEAR
            elif m.lastindex == 1:
                year = int(m.group(1))
            else:
                era, num = m.group(1), m.group(2)
                year = _ERA[era] + (1 if num == "元" else int(num))
                for more in _MORE.finditer(m.group(0), m.end(2) - m.start()):
                    found.append((m.start() + more.start(), _ERA[era] + int(more.group(1))))
            found.append((m.start(), year))
    for m in _RANGE.finditer(text):  # 「2016 to 2019」「2016年から2019年」: every year between
        first, last = int(m.group(1)), int(m.group(2))
        if 0 < last - first <= MAX_RANGE:
            found += [(m.start(), y) for y in range(first + 1, last)]
    seen: list[int] = []
    for _, year in sorted(found):
        if year not in seen:
            seen.append(year)
    return seen


def mask_years(text: str) -> str:
    """``text`` with every year expression replaced by a space."""
    for pattern in _PATTERNS:
        text = pattern.sub(" ", text)
    return text
