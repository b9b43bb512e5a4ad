"""Where the web server serves the charts, for the channels that link them (LINE hero images, Slack
image blocks, the web page). Versioned URLs (``?v=<data version>``) change when the data does, so a
platform that caches images by URL shows the new picture."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlite_utils


def kpi_chart_path(kpi_id: str) -> str:
    return f"/charts/kpi/{kpi_id}.png"


def overview_chart_path(goal: int | None = None) -> str:
    return "/charts/overview.png" + (f"?goal={goal}" if goal else "")


def chart_url(base: str, path: str, version: str) -> str:
    """``{base}{path}?v=…``: absolute with a base URL, root-relative with base ""."""
    sep = "&" if "?" in path else "?"
    return f"{base.rstrip('/')}{path}{sep}v={version}"


def public_base(url: str | None) -> str | None:
    """PUBLIC_BASE_URL if it is an https URL (LINE and Slack fetch images only over https), else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.netloc:
        return None
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def goal_number(goal_id: str) -> int | None:
    """「goal-2」 → 2."""
    tail = goal_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


@dataclass(frozen=True)
class ChartLinks:
    """Absolute, versioned chart URLs on the public https base (what LINE and Slack fetch)."""

    base: str
    version: str

    def kpi(self, kpi_id: str) -> str:
        return chart_url(self.base, kpi_chart_path(kpi_id), self.version)

    def overview(self, goal: int | None = None) -> str:
        return chart_url(self.base, overview_chart_path(goal), self.version)


def chart_links(public_base_url: str | None, db: sqlite_utils.Database) -> ChartLinks | None:
    """Links for the current data, or None without an https PUBLIC_BASE_URL (then no images at all)."""
    base = public_base(public_base_url)
    if base is None:
        return None
    from bot.charts.data import data_version

    try:
        return ChartLinks(base, data_version(db))
    except Exception:  # an image is an extra: never let it cost the answer
        return None
