"""``POST /api/ask``: ``{"text": "質問", "session": "…"}`` → the Reply as JSON.

The body is read up to ``MAX_BODY`` bytes (more gets 413), must be a JSON object and is validated
with pydantic; every refusal is a 4xx JSON ``{"error": code, "message": 日本語}``. Answers come from
the same pipeline as LINE and Slack (``handlers.dispatch.Answerer``), in a worker thread. The session
is hashed with the user-id key and passed as the ``Query``'s user key (channel ``web``), so a
conversation is kept per browser session where the pipeline keeps conversations.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.charts.links import chart_url, goal_number, kpi_chart_path, overview_chart_path
from bot.privacy import hash_user_id, user_hash_key
from bot.web import texts as T
from bot.web.chart_routes import charts_of
from handlers.numbers import with_natural, year_label
from handlers.reply import KpiFacts, Query, Reply
from store.conversations import conversation_key

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger("strategy_bot.web")

MAX_BODY = 64 * 1024
MAX_QUESTION = 500
_SESSION_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class AskError(Exception):
    def __init__(self, status: int, code: str, **fmt: Any):
        self.status = status
        self.code = code
        self.message = T.ERRORS[code].format(**fmt)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    text: str
    session: str

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        if not v:
            raise ValueError("empty_text")
        if len(v) > MAX_QUESTION:
            raise ValueError("text_too_long")
        return v

    @field_validator("session")
    @classmethod
    def _session(cls, v: str) -> str:
        if not 8 <= len(v) <= 100 or not set(v) <= _SESSION_CHARS:
            raise ValueError("bad_session")
        return v


def error_response(exc: AskError) -> JSONResponse:
    return JSONResponse({"error": exc.code, "message": exc.message}, status_code=exc.status)


async def read_request(request: Request) -> AskRequest:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise AskError(413, "too_large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise AskError(413, "too_large")
    if not body.strip():
        raise AskError(400, "empty_body")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise AskError(400, "not_json") from None
    if not isinstance(payload, dict):
        raise AskError(400, "not_json")
    try:
        return AskRequest.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first.get("loc") else ""
        reason = str(first.get("ctx", {}).get("error", "")) if first["type"] == "value_error" else ""
        if reason in T.ERRORS:
            raise AskError(422, reason, max=MAX_QUESTION) from None
        if field == "session":
            raise AskError(422, "bad_session") from None
        if field == "text" and first["type"] == "missing":
            raise AskError(422, "empty_text") from None
        raise AskError(422, "invalid") from None


def kpi_json(f: KpiFacts, version: str) -> dict[str, Any]:
    """A KPI card's data: the facts, the figures formatted as the strategy prints them, its chart."""
    latest = None
    if f.latest_value is not None and f.latest_year is not None:
        latest = f"{with_natural(f.latest_value, f.unit)}（{year_label(f.latest_year)}）"
    return {
        **f.model_dump(mode="json"),
        "label": f.short_name or f.name,
        "baseline_text": f"{with_natural(f.baseline_value, f.unit)}（{f.baseline_label}）",
        "target_text": f"{with_natural(f.target_value, f.unit, f.comparator)}（{f.target_label}）",
        "progress_text": f"{round(f.progress * 100)}%" if f.progress is not None else None,
        "latest_text": latest,
        "chart_url": chart_url("", kpi_chart_path(f.id), version),
    }


def reply_json(reply: Reply, version: str) -> dict[str, Any]:
    out = reply.as_json()
    out["kpis"] = [kpi_json(f, version) for f in reply.kpis]
    out["chart_url"] = None
    if reply.kind == "kpi_list" and reply.kpis:
        goals = {f.goal_id for f in reply.kpis}
        goal = goal_number(goals.pop()) if len(goals) == 1 else None
        out["chart_url"] = chart_url("", overview_chart_path(goal), version)
    return out


def ask_endpoint(ctx: AppContext) -> Callable[[Request], Awaitable[JSONResponse]]:
    charts = charts_of(ctx)

    async def ask(request: Request) -> JSONResponse:
        try:
            req = await read_request(request)
        except AskError as exc:
            return error_response(exc)
        user = hash_user_id(f"web:{req.session}", user_hash_key(ctx.settings))

        def work() -> dict[str, Any]:
            db = ctx.db()
            query = Query(
                text=req.text, channel="web", user_hash=user, conversation=conversation_key("web", user)
            )  # one browser session is one conversation
            reply = ctx.answerer().answer(query, db=db)
            return reply_json(reply, charts.version(db))

        return JSONResponse(await run_in_threadpool(work), headers={"Cache-Control": "no-store"})

    return ask
