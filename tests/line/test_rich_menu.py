"""``strategy-bot line rich-menu``: the image, the six postback areas, and the real SDK calls against
fake LINE APIs (the Messaging API and the separate data host for the image upload)."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import support
from click.testing import CliRunner

from bot.line import rich_menu
from bot.line.cli import line
from bot.line.events import postback_question

TOKEN = "test-access-token"


class FakeRichMenuApi(support.FakeApi):
    verbs = ("POST", "GET", "DELETE")
    record_on_arrival = True  # recorded before answering: the CLI has returned only after all answers

    def decode(self, method: str, query: str, content_type: str, raw: bytes) -> Any:
        if content_type.startswith("image/"):
            return raw
        return json.loads(raw) if raw else None

    def respond(self, rec: support.Recorded) -> tuple[int, Any, dict[str, str]]:
        if rec.path == "/v2/bot/richmenu":
            return 200, {"richMenuId": "richmenu-0123456789abcdef"}, {}
        return 200, {}, {}


@pytest.fixture
def fakes():
    api, data = FakeRichMenuApi(), FakeRichMenuApi()
    yield api, data
    api.close()
    data.close()


def test_six_areas_cover_the_image_and_ask_known_questions() -> None:
    request = rich_menu.build_request()
    assert request["size"] == {"width": 2500, "height": 1686}
    areas = request["areas"]
    assert [a["action"]["label"] for a in areas] == [
        "KPIの状況",
        "用語を調べる",
        "基本目標",
        "次の会議",
        "リマインド登録",
        "使い方",
    ]
    assert sum(a["bounds"]["width"] * a["bounds"]["height"] for a in areas) == 2500 * 1686
    for a in areas:
        assert a["action"]["type"] == "postback"
        assert postback_question(a["action"]["data"]) == a["action"]["displayText"]


@pytest.mark.parametrize("area", rich_menu.AREAS, ids=lambda a: a.label)
def test_each_button_is_answered(answerer, area) -> None:
    from handlers.reply import Query

    if area.question == "リマインド登録":  # a LINE text hook (subscriptions), not the answer pipeline
        return
    reply = answerer.answer(Query(text=area.question, channel="test"))
    assert reply.kind not in {"fallback", "out_of_scope", "error"}, area


def test_dry_run_writes_image_and_json_without_calling_line(tmp_path: Path, fakes) -> None:
    api, data = fakes
    env = {
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": api.url,
        "LINE_API_DATA_BASE_URL": data.url,
    }
    result = CliRunner().invoke(line, ["rich-menu", "--dry-run", "--out-dir", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    png = (tmp_path / "richmenu.png").read_bytes()
    assert struct.unpack(">II", png[16:24]) == (2500, 1686) and len(png) < 1024 * 1024
    assert json.loads((tmp_path / "richmenu.json").read_text(encoding="utf-8"))["chatBarText"] == "メニュー"
    assert api.requests == [] and data.requests == []


def test_creates_uploads_and_sets_default(tmp_path: Path, fakes) -> None:
    api, data = fakes
    env = {
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": api.url,
        "LINE_API_DATA_BASE_URL": data.url,
    }
    result = CliRunner().invoke(line, ["rich-menu", "--out-dir", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    assert "richmenu-0123456789abcdef" in result.output and TOKEN not in result.output
    create, default = api.requests
    assert (create.method, create.path) == ("POST", "/v2/bot/richmenu")
    assert len(create.body["areas"]) == 6 and create.body["size"]["height"] == 1686
    assert parse_qs(create.body["areas"][0]["action"]["data"]) == {"q": ["KPI一覧"]}
    assert (default.method, default.path) == ("POST", "/v2/bot/user/all/richmenu/richmenu-0123456789abcdef")
    (upload,) = data.requests
    assert (upload.method, upload.path) == ("POST", "/v2/bot/richmenu/richmenu-0123456789abcdef/content")
    assert upload.headers["content-type"] == "image/png"
    assert upload.body == (tmp_path / "richmenu.png").read_bytes()
    for rec in (create, upload, default):
        assert rec.headers["authorization"] == f"Bearer {TOKEN}"


def test_refusal_is_reported_without_the_token(tmp_path: Path, fakes) -> None:
    api, data = fakes
    api.fail("/v2/bot/richmenu", support.Failure(400, {"message": "bad"}))
    env = {
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": api.url,
        "LINE_API_DATA_BASE_URL": data.url,
    }
    result = CliRunner().invoke(line, ["rich-menu", "--out-dir", str(tmp_path)], env=env)
    assert result.exit_code == 1 and "status 400" in result.output and TOKEN not in result.output
    assert data.requests == []


def test_without_a_token_it_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        line, ["rich-menu", "--out-dir", str(tmp_path)], env={"LINE_CHANNEL_ACCESS_TOKEN": ""}
    )
    assert result.exit_code == 1 and "LINE_CHANNEL_ACCESS_TOKEN" in result.output
