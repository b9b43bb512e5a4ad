"""``GET /charts/kpi/{kpi_id}.png`` and ``GET /charts/overview.png[?goal=N]``.

Drawing runs in a worker thread, never on the event loop. Each answer carries an ETag derived from
the chart and the data version; a matching ``If-None-Match`` gets 304 without drawing. A URL that
names the current version (``?v=…``, as ``bot.charts.links.chart_url`` makes) is immutable and
cached for a year; any other is revalidated on every use, so a new actual shows at once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.charts.data import UnknownKpi
from bot.charts.service import GOALS, Charts

if TYPE_CHECKING:
    from bot.context import AppContext

_KPI_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"


def charts_of(ctx: AppContext) -> Charts:
    """The process's chart cache, kept on the application context."""
    charts = getattr(ctx, "charts", None)
    if charts is None:
        charts = Charts()
        ctx.charts = charts  # type: ignore[attr-defined]
    return charts


def _not_found(what: str) -> JSONResponse:
    return JSONResponse({"error": "not_found", "message": f"{what}のグラフはありません。"}, status_code=404)


def _matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


def _png(request: Request, png: bytes | None, etag: str, version: str) -> Response:
    cache = IMMUTABLE if request.query_params.get("v") == version else REVALIDATE
    headers = {"ETag": etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    if png is None:
        return Response(status_code=304, headers=headers)
    return Response(png, media_type="image/png", headers=headers)


def routes(ctx: AppContext) -> list[BaseRoute]:
    charts = charts_of(ctx)

    async def kpi_chart(request: Request) -> Response:
        kpi_id = request.path_params["kpi_id"]
        if not _KPI_ID.match(kpi_id):
            return _not_found("そのKPI")

        def work() -> tuple[bytes | None, str, str] | None:
            db = ctx.db()
            version = charts.version(db)
            etag = charts.kpi_etag(db, kpi_id)
            if etag is None:
                return None
            if _matches(request, etag):
                return None, etag, version
            try:
                image = charts.kpi(db, kpi_id)
            except UnknownKpi:  # removed by a rebuild in between
                return None
            return image.png, image.etag, version

        result = await run_in_threadpool(work)
        if result is None:
            return _not_found("そのKPI")
        return _png(request, *result)

    async def overview_chart(request: Request) -> Response:
        raw = request.query_params.get("goal")
        goal: int | None = None
        if raw is not None:
            if not raw.isdigit() or int(raw) not in GOALS:
                return _not_found(f"基本目標「{raw[:10]}」")
            goal = int(raw)

        def work() -> tuple[bytes | None, str, str]:
            db = ctx.db()
            version = charts.version(db)
            etag = charts.overview_etag(db, goal)
            if _matches(request, etag):
                return None, etag, version
            image = charts.overview(db, goal)
            return image.png, image.etag, version

        return _png(request, *(await run_in_threadpool(work)))

    return [
        Route("/charts/kpi/{kpi_id}.png", kpi_chart, methods=["GET", "HEAD"]),
        Route("/charts/overview.png", overview_chart, methods=["GET", "HEAD"]),
    ]
