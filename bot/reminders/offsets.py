"""Reminder offsets such as ``7d``, ``1d``, ``2h``, ``30m``: how long before a meeting's start."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict

_OFFSET = re.compile(r"^\s*(\d{1,3})\s*([dhm])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


class Offset(BaseModel):
    """One offset: ``key`` is the canonical spelling stored with each delivery (``"7d"``)."""

    model_config = ConfigDict(frozen=True)

    key: str
    delta: dt.timedelta

    @property
    def label_ja(self) -> str:
        n, unit = int(self.key[:-1]), self.key[-1]
        if unit == "d":
            return "1週間前" if n == 7 else ("前日" if n == 1 else f"{n}日前")
        return f"{n}時間前" if unit == "h" else f"{n}分前"

    @property
    def within_day(self) -> bool:
        """True for offsets shorter than a day: they need the meeting's start time."""
        return self.delta < dt.timedelta(days=1)


class OffsetError(ValueError):
    pass


def parse_offset(text: str) -> Offset:
    m = _OFFSET.match(text)
    if not m or int(m.group(1)) == 0:
        raise OffsetError(f"bad reminder offset {text!r}: use e.g. 7d, 1d, 2h or 30m")
    n, unit = int(m.group(1)), m.group(2).lower()
    return Offset(key=f"{n}{unit}", delta=dt.timedelta(**{_UNITS[unit]: n}))


def parse_offsets(values: list[str]) -> list[Offset]:
    """Distinct offsets, longest first; raises :class:`OffsetError` on a bad one."""
    seen: dict[dt.timedelta, Offset] = {}
    for v in values:
        o = parse_offset(v)
        seen.setdefault(o.delta, o)
    return sorted(seen.values(), key=lambda o: o.delta, reverse=True)
