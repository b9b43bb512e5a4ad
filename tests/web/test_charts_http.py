"""GET /charts/kpi/{kpi_id}.png and /charts/overview.png over HTTP: PNG, ETag, Cache-Control, 304, 404,
and a new staff actual changing the picture at once."""

from __future__ import annotations

import httpx

from strategy_data.database import connect


def test_kpi_chart_etag_and_304(web_server) -> None:
    with httpx.Client(base_url=web_server.url, timeout=60) as client:
        first = client.get("/charts/kpi/tourism-spending.png")
        assert first.status_code == 200
        assert first.headers["content-type"] == "image/png" and first.content[:4] == b"\x89PNG"
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "public, no-cache"
        again = client.get("/charts/kpi/tourism-spending.png", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        head = client.head("/charts/kpi/tourism-spending.png")
        assert head.status_code == 200 and head.headers["etag"] == etag


def test_new_actual_changes_the_chart_at_once(web_server, built_db_path) -> None:
    with httpx.Client(base_url=web_server.url, timeout=60) as client:
        before = client.get("/charts/kpi/births.png")
        db = connect(built_db_path)
        db.execute(
            "INSERT INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
            " VALUES ('births', 2021, 6400, NULL, 'staff', '2024-05-01T09:00:00+09:00')"
        )
        db.conn.commit()
        db.close()
        after = client.get("/charts/kpi/births.png", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200
        assert after.headers["etag"] != before.headers["etag"] and after.content != before.content


def test_versioned_url_is_immutable(web_server) -> None:
    with httpx.Client(base_url=web_server.url, timeout=60) as client:
        reply = client.post("/api/ask", json={"text": "観光消費額は？", "session": "chart-session-1"}).json()
        url = reply["kpis"][0]["chart_url"]
        assert url.startswith("/charts/kpi/tourism-spending.png?v=")
        response = client.get(url)
        assert response.status_code == 200 and "immutable" in response.headers["cache-control"]


def test_overview_and_goal_charts(web_server) -> None:
    with httpx.Client(base_url=web_server.url, timeout=60) as client:
        overview = client.get("/charts/overview.png")
        assert overview.status_code == 200 and overview.content[:4] == b"\x89PNG"
        goal = client.get("/charts/overview.png?goal=2")
        assert goal.status_code == 200 and goal.headers["etag"] != overview.headers["etag"]
        assert client.get("/charts/overview.png?goal=7").status_code == 404
        assert client.get("/charts/overview.png?goal=x").status_code == 404


def test_unknown_kpi_is_404_json(web_server) -> None:
    with httpx.Client(base_url=web_server.url, timeout=60) as client:
        for path in ("/charts/kpi/no-such-kpi.png", "/charts/kpi/ABC.png"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.json()["error"] == "not_found"
        assert client.get("/charts/kpi/..%2F..%2Fetc.png").status_code == 404
