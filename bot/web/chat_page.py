"""The web chat page: ``GET /`` (server-rendered, Japanese), ``POST /api/ask`` and ``/static``.

No build step and no CDN: one HTML template, one stylesheet and one small script, all served by
this app; a Content-Security-Policy allows nothing from elsewhere.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web import texts as T
from bot.web.ask_api import MAX_QUESTION, ask_endpoint

if TYPE_CHECKING:
    from bot.context import AppContext

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _asset_version() -> str:
    digest = hashlib.sha256()
    for name in ("chat.css", "chat.js"):
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:12]


def render_page() -> str:
    e = html.escape
    examples = "".join(f'<button type="button" data-q="{e(q)}">{e(q)}</button>' for q in T.EXAMPLES)
    template = Template((HERE / "templates" / "chat.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=e(T.TITLE),
        intro=e(T.INTRO),
        examples_label=e(T.EXAMPLES_LABEL),
        examples=examples,
        input_label=e(T.INPUT_LABEL),
        placeholder=e(T.INPUT_PLACEHOLDER),
        send=e(T.SEND),
        noscript=e(T.NOSCRIPT),
        privacy=e(T.PRIVACY),
        max_question=MAX_QUESTION,
        asset_version=_asset_version(),
    )


def routes(ctx: AppContext) -> list[BaseRoute]:
    page = render_page()

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})

    return [
        Route("/", index, methods=["GET", "HEAD"]),
        Route("/api/ask", ask_endpoint(ctx), methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
