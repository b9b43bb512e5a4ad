"""Reading a request body with a size limit, for every webhook (LINE, Slack).

The body is read as it streams in, chunk by chunk, and the request is refused with 413 as soon as it
passes the limit, whether it declared its length or came chunked: a huge body never sits in memory,
and nothing about it is parsed or checked before it is known to be small.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response


async def read_limited(request: Request, limit: int) -> bytes | Response:
    """The whole body, or the response to send instead: 413 past ``limit`` bytes, 400 for a
    ``Content-Length`` that is not a number. A client that disconnects raises ``ClientDisconnect``."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            return Response("bad Content-Length", status_code=400)
        if int(declared) > limit:
            return Response("request body too large", status_code=413)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return Response("request body too large", status_code=413)
        chunks.append(chunk)
    return b"".join(chunks)
