"""Colours and labels every chart shares (the status colours match the LINE bubbles)."""

from __future__ import annotations

STATUS_COLORS = {
    "達成": "#1E8E3E",  # green
    "順調": "#1A73E8",  # blue
    "遅れ": "#D93025",  # red
    "基準値のみ": "#5F6368",  # grey
}
MUTED = "#5F6368"
ACTUAL = "#1A73E8"
STAFF = "#E37400"
BASELINE = "#3C4043"
TARGET = "#1E8E3E"

WIDTH_PX = 1040  # LINE hero images and phone screens: 1040 px wide
KPI_HEIGHT_PX = 520  # 2:1


def era(year: int) -> str:
    """2018 → 「H30」, 2019 → 「R1」, 2023 → 「R5」."""
    if year >= 2019:
        return f"R{year - 2018}"
    if year >= 1989:
        return f"H{year - 1988}"
    return str(year)
