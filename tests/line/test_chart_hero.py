"""LINE KPI bubbles show the KPI's chart as hero image when PUBLIC_BASE_URL is an https URL; the URL
is one our server serves. Without it there is no image and the reply is otherwise the same."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from support import ServerThread

from bot.line.webhook import sign
from bot.web.app import create_app

BASE = "https://strategy-bot.example.jp"


def _ask(server: ServerThread, fake, rig, text_event, text: str) -> dict:
    ev = text_event(text)
    body = rig.body_of(ev)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.post(
            "/line/webhook", content=body, headers={"X-Line-Signature": sign(body, rig.CHANNEL_SECRET)}
        )
    assert response.status_code == 200
    (reply,) = fake.wait_until(
        lambda r: r.body.get("replyToken") == ev["replyToken"], 1, 60, lambda: f"no reply: {fake.requests}"
    )
    return reply.body


@pytest.mark.parametrize("public", [BASE, None, "http://strategy-bot.example.jp"])
def test_hero_image_depends_on_public_base_url(
    public: str | None, built_db_path, line_api, rig, text_event
) -> None:
    app = create_app(rig.settings(built_db_path, line_api.url, public_base_url=public))
    with ServerThread(app) as server:
        body = _ask(server, line_api, rig, text_event, "観光消費額は？")
        flex = body["messages"][-1]
        assert flex["type"] == "flex"
        hero = flex["contents"].get("hero")
        if public != BASE:
            assert hero is None
            return
        url = urlsplit(hero["url"])
        assert f"{url.scheme}://{url.netloc}" == BASE and url.path == "/charts/kpi/tourism-spending.png"
        with httpx.Client(base_url=server.url, timeout=60) as client:
            image = client.get(f"{url.path}?{url.query}")
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        assert "immutable" in image.headers["cache-control"]
