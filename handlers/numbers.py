"""Figures as the strategy prints them: 6,766 / 1.00 / 78.15, with units and years in Japanese."""

from __future__ import annotations

import datetime as dt

from handlers.reply import KpiFacts

WEEKDAYS = "月火水木金土日"
_ERA_LABEL = (("R", 2018), ("H", 1988))


def number(value: float, unit: str = "") -> str:
    """Thousands separators; 倍 keeps two decimals as printed (1.14, 1.00); others drop trailing zeros."""
    if unit == "倍":
        return f"{value:,.2f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text


def with_unit(value: float, unit: str, comparator: str = "point") -> str:
    suffix = {"at_least": "以上", "at_most": "以下"}.get(comparator, "")
    return f"{number(value, unit)}{unit}{suffix}"


def year_label(year: int) -> str:
    """2018 → 「2018年（H30）」; 2019 → 「2019年（H31/R1）」."""
    if year >= 2019:
        era = f"R{year - 2018}"
        if year == 2019:
            era = "H31/R1"
    elif year >= 1989:
        era = f"H{year - 1988}"
    else:
        return f"{year}年"
    return f"{year}年（{era}）"


def date_ja(d: dt.date, *, weekday: bool = True) -> str:
    text = f"{d.year}年{d.month}月{d.day}日"
    return text + f"（{WEEKDAYS[d.weekday()]}）" if weekday else text


def display_name(name: str, short_name: str | None) -> str:
    """The printed name when it is short enough for a list line, else the everyday short name."""
    return name if len(name) <= 20 or not short_name else short_name


def kpi_line(f: KpiFacts) -> str:
    """One line for lists: 「待機児童数：6人→0人（基準値のみ）」"""
    name = display_name(f.name, f.short_name)
    base = with_unit(f.baseline_value, f.unit)
    target = with_unit(f.target_value, f.unit, f.comparator)
    latest = ""
    if f.latest_value is not None and f.latest_year is not None:
        latest = f"、最新{with_unit(f.latest_value, f.unit)}（{f.latest_year}年）"
    return f"{name}：{base}→{target}{latest}【{f.status}】"


# Units printed in thousands or billions, and what one of them is in yen / people.
_SCALED_UNITS = {"十億円": (10**9, "円"), "億円": (10**8, "円"), "千人": (10**3, "人"), "万件": (10**4, "件")}
_JA_PLACES = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))


def _ja_large(amount: int, base: str) -> str:
    """123_456_000_000 円 → 「1,234億5,600万円」: the two largest non-zero Japanese places."""
    parts: list[str] = []
    rest = amount
    for size, name in _JA_PLACES:
        if rest >= size:
            parts.append(f"{rest // size:,}{name}")
            rest %= size
        if len(parts) == 2:
            rest = 0
            break
    if rest and len(parts) < 2:
        parts.append(f"{rest:,}")
    return "".join(parts) + base


def natural(value: float, unit: str) -> str | None:
    """The figure as people say it, where the printed unit is a scale: 2,496十億円 → 「2兆4,960億円」,
    53,721千人 → 「5,372万1,000人」. None where the printed figure already reads naturally
    (735億円, 6人) or is not a whole amount."""
    scale = _SCALED_UNITS.get(unit)
    if scale is None or value < 0:
        return None
    amount = value * scale[0]
    if not float(amount).is_integer():
        return None
    text = _ja_large(int(amount), scale[1])
    return None if text == with_unit(value, unit) else text


def with_natural(value: float, unit: str, comparator: str = "point") -> str:
    """「2,496十億円（2兆4,960億円）」: the printed figure, and the natural reading where there is one."""
    printed = with_unit(value, unit, comparator)
    reading = natural(value, unit)
    return f"{printed}（{reading}）" if reading else printed
