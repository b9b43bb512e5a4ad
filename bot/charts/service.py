"""Rendered charts, cached by data version: a new staff actual or a data rebuild changes the version,
so the next request draws the new picture; until then every request is served from memory.

The ETag is derived from the chart's key and the data version (not from the PNG), so a
conditional request is answered 304 without drawing anything. Drawing is serialized (matplotlib
is not thread-safe) and happens at most once per key and version, however many threads ask.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from bot.charts.data import UnknownKpi, data_version, kpi_exists, kpi_series, overview_facts

CHART_REVISION = "1"  # bump when the drawings change, so browsers drop what they cached
MAX_ENTRIES = 64
GOALS = (1, 2, 3)


@dataclass(frozen=True)
class ChartImage:
    png: bytes
    etag: str  # quoted, as the ETag header carries it


def chart_etag(key: str, version: str) -> str:
    digest = hashlib.sha256(f"{CHART_REVISION}|{key}|{version}".encode()).hexdigest()[:24]
    return f'"{digest}"'


def overview_title(goal: int | None, count: int) -> str:
    scope = f"基本目標{goal}の" if goal else ""
    return f"{scope}数値目標・KPI {count}指標の進み具合"


class ChartCache:
    """PNG bytes by key, each remembered with the data version it was drawn for (LRU-bounded)."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self._entries: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()
        self.renders = 0  # how many charts were drawn (tests and the benchmark read it)

    def get(self, key: str, version: str, draw: Callable[[], bytes]) -> bytes:
        with self._lock:
            hit = self._entries.get(key)
            if hit and hit[0] == version:
                self._entries.move_to_end(key)
                return hit[1]
        with self._render_lock:
            with self._lock:  # another thread may have drawn it while this one waited
                hit = self._entries.get(key)
                if hit and hit[0] == version:
                    return hit[1]
            png = draw()
            self.renders += 1
        with self._lock:
            self._entries[key] = (version, png)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return png

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Charts:
    """The charts the channels show, from one database, cached by data version."""

    def __init__(self, cache: ChartCache | None = None):
        self.cache = cache or ChartCache()

    @staticmethod
    def version(db: sqlite_utils.Database) -> str:
        return data_version(db)

    def kpi_etag(self, db: sqlite_utils.Database, kpi_id: str) -> str | None:
        """The ETag the KPI's chart has now, or None for an unknown KPI (no drawing)."""
        if not kpi_exists(db, kpi_id):
            return None
        return chart_etag(f"kpi:{kpi_id}", data_version(db))

    def overview_etag(self, db: sqlite_utils.Database, goal: int | None = None) -> str:
        return chart_etag(f"overview:{goal or 'all'}", data_version(db))

    def kpi(self, db: sqlite_utils.Database, kpi_id: str, today: dt.date | None = None) -> ChartImage:
        """The KPI's trend chart; raises ``UnknownKpi`` for an unknown id."""
        if not kpi_exists(db, kpi_id):
            raise UnknownKpi(kpi_id)
        version = data_version(db)
        key = f"kpi:{kpi_id}"

        def draw() -> bytes:
            from bot.charts import kpi_chart

            return kpi_chart.render(kpi_series(db, kpi_id, today))

        return ChartImage(self.cache.get(key, version, draw), chart_etag(key, version))

    def overview(
        self, db: sqlite_utils.Database, goal: int | None = None, today: dt.date | None = None
    ) -> ChartImage:
        """All KPIs' progress (or one 基本目標's: ``goal`` 1–3)."""
        if goal is not None and goal not in GOALS:
            raise ValueError(f"no 基本目標 {goal}")
        version = data_version(db)
        key = f"overview:{goal or 'all'}"

        def draw() -> bytes:
            from bot.charts import overview_chart

            facts = overview_facts(db, goal, today)
            return overview_chart.render(facts, overview_title(goal, len(facts)))

        return ChartImage(self.cache.get(key, version, draw), chart_etag(key, version))
