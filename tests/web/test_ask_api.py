"""POST /api/ask: the Reply as JSON, and a clear 4xx JSON error for every kind of bad input."""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture
def client(shared_server):
    with httpx.Client(base_url=shared_server.url, timeout=60) as c:
        yield c


def test_answer_is_the_reply_as_json(client) -> None:
    response = client.post("/api/ask", json={"text": "待機児童の目標は？", "session": "session-abc-123"})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True and body["kind"] == "kpi"
    assert "待機児童" in body["text"] and body["source"]
    assert body["suggestions"] and isinstance(body["suggestions"], list)
    kpi = body["kpis"][0]
    assert kpi["id"] == "waiting-children" and kpi["status"] and kpi["target_text"].startswith("0人")
    assert response.headers["cache-control"] == "no-store"


def test_same_answers_as_the_other_channels(client, answerer) -> None:
    from handlers.reply import Query

    for text in ("MICEって何？", "KPI一覧", "基本目標2は？"):
        web = client.post("/api/ask", json={"text": text, "session": "session-abc-123"}).json()
        other = answerer.answer(Query(text=text, channel="test"))
        assert (web["kind"], web["text"], web["source"]) == (other.kind, other.text, other.source)


def test_kpi_list_has_the_overview_chart(client) -> None:
    body = client.post("/api/ask", json={"text": "KPI一覧", "session": "session-abc-123"}).json()
    assert body["kind"] == "kpi_list" and len(body["kpis"]) == 17
    assert body["chart_url"].startswith("/charts/overview.png?v=")
    goal = client.post("/api/ask", json={"text": "基本目標2のKPI一覧", "session": "session-abc-123"}).json()
    assert goal["chart_url"].startswith("/charts/overview.png?goal=2&v=")


@pytest.mark.parametrize(
    ("content", "headers", "status", "error"),
    [
        (b"", {}, 400, "empty_body"),
        (b"   ", {"Content-Type": "application/json"}, 400, "empty_body"),
        (b"text=hello", {"Content-Type": "application/x-www-form-urlencoded"}, 400, "not_json"),
        (b"{not json", {"Content-Type": "application/json"}, 400, "not_json"),
        (b"\xff\xfe\x00", {"Content-Type": "application/json"}, 400, "not_json"),
        (b'["a", "b"]', {"Content-Type": "application/json"}, 400, "not_json"),
        (b'{"text": "hello"}', {"Content-Type": "application/json"}, 422, "bad_session"),
        (b'{"session": "session-abc-123"}', {}, 422, "empty_text"),
        (b'{"text": "   ", "session": "session-abc-123"}', {}, 422, "empty_text"),
        (b'{"text": 5, "session": "session-abc-123"}', {}, 422, "invalid"),
        (b'{"text": "hello", "session": "short"}', {}, 422, "bad_session"),
        (b'{"text": "hello", "session": "has spaces in it"}', {}, 422, "bad_session"),
    ],
)
def test_bad_input_gets_a_clear_4xx_json(client, content, headers, status, error) -> None:
    response = client.post("/api/ask", content=content, headers=headers)
    assert response.status_code == status
    body = response.json()
    assert body["error"] == error and body["message"]


def test_over_long_text_and_one_megabyte(client) -> None:
    long = client.post("/api/ask", json={"text": "あ" * 501, "session": "session-abc-123"})
    assert long.status_code == 422 and long.json()["error"] == "text_too_long"
    assert "500文字" in long.json()["message"]
    huge = client.post("/api/ask", json={"text": "a" * (1024 * 1024), "session": "session-abc-123"})
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"


def test_chunked_body_over_the_limit_is_refused(client) -> None:
    def chunks():
        yield b'{"text": "'
        for _ in range(200):
            yield b"a" * 1024
        yield b'", "session": "session-abc-123"}'

    response = client.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_get_is_not_allowed(client) -> None:
    assert client.get("/api/ask").status_code == 405


def test_page_and_static_files(client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="ja">' in page.text and '<label for="q">' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, nothing external
    for asset in ("/static/chat.js", "/static/chat.css"):
        assert client.get(asset).status_code == 200
