"""The LINE rich menu: a generated 2500×1686 image with six areas, each a postback carrying a
question the bot already answers (``q=…``, see ``bot.line.events.postback_question``).

``build_request()`` is the menu's JSON, ``draw_image()`` its PNG (drawn with matplotlib, which writes
PNG through Pillow, in the IPAex Gothic font the charts use), and ``install()`` creates the menu via the
Messaging API, uploads the image through the blob API (``LINE_API_DATA_BASE_URL``, default
https://api-data.line.me) and makes it every user's default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

WIDTH, HEIGHT = 2500, 1686
COLUMNS, ROWS = 3, 2
MENU_NAME = "strategy-bot main menu"
CHAT_BAR_TEXT = "メニュー"


@dataclass(frozen=True)
class Area:
    label: str  # drawn on the image
    caption: str  # drawn under the label
    question: str  # what a tap asks


AREAS = (
    Area("KPIの状況", "17の指標の進み具合", "KPI一覧"),
    Area("用語を調べる", "戦略に出てくる言葉", "用語一覧"),
    Area("基本目標", "3つの基本目標と施策", "基本目標は？"),
    Area("次の会議", "検証委員会の日程", "次回の検証委員会はいつ？"),
    Area("リマインド登録", "会議の前にお知らせ", "リマインド登録"),
    Area("使い方", "聞けることの例", "使い方"),
)
_COLORS = ("#1A73E8", "#1E8E3E", "#E37400", "#8430CE", "#D93025", "#5F6368")


def _bounds(index: int) -> dict[str, int]:
    col, row = index % COLUMNS, index // COLUMNS
    x0, x1 = WIDTH * col // COLUMNS, WIDTH * (col + 1) // COLUMNS
    y0, y1 = HEIGHT * row // ROWS, HEIGHT * (row + 1) // ROWS
    return {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}


def build_request() -> dict[str, Any]:
    """The rich menu object (Messaging API ``POST /v2/bot/richmenu``)."""
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": MENU_NAME,
        "chatBarText": CHAT_BAR_TEXT,
        "areas": [
            {
                "bounds": _bounds(i),
                "action": {
                    "type": "postback",
                    "label": a.label,
                    "data": urlencode({"q": a.question}),
                    "displayText": a.question,
                },
            }
            for i, a in enumerate(AREAS)
        ],
    }


def draw_image() -> bytes:
    """The menu's PNG, 2500×1686: six tiles, each with its label and a caption."""
    from matplotlib.patches import Rectangle

    from bot.charts.fonts import new_figure, png_bytes

    fig = new_figure(WIDTH, HEIGHT)
    for i, (area, color) in enumerate(zip(AREAS, _COLORS, strict=True)):
        b = _bounds(i)
        x, w = b["x"] / WIDTH, b["width"] / WIDTH
        y, h = 1 - (b["y"] + b["height"]) / HEIGHT, b["height"] / HEIGHT
        fig.add_artist(Rectangle((x, y), w, h, transform=fig.transFigure, color="white"))
        pad_x, pad_y = 18 / WIDTH, 18 / HEIGHT
        fig.add_artist(
            Rectangle(
                (x + pad_x, y + pad_y), w - 2 * pad_x, h - 2 * pad_y, transform=fig.transFigure, color=color
            )
        )
        cx, cy = x + w / 2, y + h / 2
        size = min(88.0, 518 / len(area.label))  # a label fits its tile (≈720 px at 100 dpi)
        fig.text(cx, cy + 0.05, area.label, ha="center", va="center", fontsize=size, color="white")
        fig.text(cx, cy - 0.1, area.caption, ha="center", va="center", fontsize=46, color="#FFFFFFDD")
    return png_bytes(fig)


def install(
    *,
    access_token: str,
    base_url: str,
    data_base_url: str,
    image: bytes,
    request: dict[str, Any] | None = None,
) -> str:
    """Create the menu, upload its image, make it the default; return the rich menu id."""
    from linebot.v3.messaging import (
        ApiClient,
        Configuration,
        MessagingApi,
        MessagingApiBlob,
        RichMenuRequest,
    )

    # The SDK sends every call to the configuration's host when one is set (it overrides the blob
    # API's own api-data host), so the upload gets a client of its own, on the data host.
    api_config = Configuration(host=base_url.rstrip("/"), access_token=access_token)
    data_config = Configuration(host=data_base_url.rstrip("/"), access_token=access_token)
    with ApiClient(api_config) as api_client, ApiClient(data_config) as data_client:
        api = MessagingApi(api_client)
        created = api.create_rich_menu(RichMenuRequest.from_dict(request or build_request()))
        menu_id = created.rich_menu_id
        MessagingApiBlob(data_client).set_rich_menu_image(
            menu_id, body=image, _headers={"Content-Type": "image/png"}
        )
        api.set_default_rich_menu(menu_id)
    return menu_id
