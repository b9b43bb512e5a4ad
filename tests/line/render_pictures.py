"""Render each kind of LINE reply as a phone shows it, as PNG pictures (a test-support tool, not a test).

Usage: python tests/line/render_pictures.py [OUT_DIR]   (default docs/line)

Builds a database in a temporary folder, starts the real server on 127.0.0.1 (so hero images are the
real charts), renders the real replies with ``bot.line.render`` and draws them as LINE lays them
out — text balloons, Flex bubbles and carousels, quick-reply buttons — in HTML, photographed by headless
Debian Chromium at phone width. Flex is drawn approximately (sizes, colours, layouts, images).
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from support import ServerThread

from bot.charts.links import ChartLinks
from bot.config import Settings
from bot.line import render as R
from bot.line.rich_menu import draw_image
from bot.web.app import create_app
from handlers.dispatch import Answerer
from handlers.reply import Query

QUESTIONS = {
    "kpi-answer": "観光消費額の目標は？",
    "kpi-list": "KPI一覧",
    "goal-kpi-carousel": "基本目標3のKPI一覧",
    "glossary": "MICEって何？",
    "meeting": "次回の検証委員会はいつ？",
    "fallback": "明日の天気は？",
}
SIZES = {"xxs": 11, "xs": 13, "sm": 14, "md": 16, "lg": 19, "xl": 22, "xxl": 26}
SPACING = {"none": 0, "xs": 2, "sm": 4, "md": 8, "lg": 12, "xl": 16, "xxl": 20}
CSS = """
body { margin: 0; background: #8cabd9; font-family: 'IPAexGothic', sans-serif; width: 412px; }
.chat { padding: 12px 10px 16px; }
.me { text-align: right; margin: 8px 0; }
.me span { display: inline-block; background: #85e249; border-radius: 16px; padding: 8px 12px;
  max-width: 75%; text-align: left; font-size: 15px; }
.bot { margin: 8px 0; }
.balloon { display: inline-block; background: #fff; border-radius: 16px; padding: 8px 12px; max-width: 80%;
  white-space: pre-wrap; font-size: 15px; line-height: 1.45; }
.carousel { display: flex; gap: 8px; overflow: hidden; }
.bubble { background: #fff; border-radius: 14px; overflow: hidden; flex: none; }
.block { padding: 14px; }
.sep { border-top: 1px solid #e0e0e0; }
.qr { display: flex; gap: 6px; overflow: hidden; padding: 8px 0 0; }
.qr span { flex: none; border: 1px solid #c8c8c8; border-radius: 16px; background: #fff; padding: 6px 10px;
  font-size: 13px; color: #1a73e8; }
"""
WIDTHS = {"nano": 120, "micro": 160, "kilo": 260, "mega": 300, "giga": 386}


def component(c: dict[str, Any], horizontal: bool = False) -> str:
    t = c.get("type")
    style: list[str] = []
    if horizontal:
        style.append(f"flex: {c.get('flex', 1)} 1 0; min-width: 0")
    if c.get("margin"):
        style.append(f"margin-top: {SPACING.get(c['margin'], 0)}px")
    if t == "box":
        layout = c.get("layout", "vertical")
        direction = "column" if layout == "vertical" else "row"
        gap = SPACING.get(c.get("spacing", "none"), 0)
        style += [f"display: flex; flex-direction: {direction}; gap: {gap}px"]
        for key, css in (
            ("paddingAll", "padding"),
            ("paddingTop", "padding-top"),
            ("paddingBottom", "padding-bottom"),
        ):
            if key in c:
                style.append(f"{css}: {SPACING.get(c[key], 4)}px")
        if "backgroundColor" in c:
            style.append(f"background: {c['backgroundColor']}")
        if "cornerRadius" in c:
            style.append("border-radius: 6px")
        inner = "".join(component(x, direction == "row") for x in c.get("contents", []))
        return f'<div style="{"; ".join(style)}">{inner}</div>'
    if t == "text":
        style += [f"font-size: {SIZES.get(c.get('size', 'md'), 16)}px", f"color: {c.get('color', '#111')}"]
        if c.get("weight") == "bold":
            style.append("font-weight: bold")
        if c.get("align") in ("center", "end"):
            style.append(f"text-align: {'right' if c['align'] == 'end' else 'center'}")
        style.append("white-space: pre-wrap" if c.get("wrap") else "white-space: nowrap; overflow: hidden")
        return f'<div style="{"; ".join(style)}">{html.escape(c.get("text", ""))}</div>'
    if t == "image":
        return f'<img src="{html.escape(c["url"])}" style="width: 100%; display: block">'
    if t == "separator":
        return '<div class="sep"></div>'
    return ""


def bubble(b: dict[str, Any]) -> str:
    parts = []
    if "hero" in b:
        parts.append(component(b["hero"]))
    for block in ("header", "body", "footer"):
        if block in b:
            sep = " sep" if b.get("styles", {}).get(block, {}).get("separator") else ""
            parts.append(f'<div class="block{sep}">{component(b[block])}</div>')
    width = WIDTHS.get(b.get("size", "mega"), 300)
    return f'<div class="bubble" style="width: {width}px">{"".join(parts)}</div>'


def messages_html(question: str | None, messages: list[dict[str, Any]]) -> str:
    out = [f'<div class="me"><span>{html.escape(question)}</span></div>'] if question else []
    for m in messages:
        if m["type"] == "text":
            out.append(f'<div class="bot"><div class="balloon">{html.escape(m["text"])}</div></div>')
        elif m["type"] == "flex":
            c = m["contents"]
            inner = bubble(c) if c["type"] == "bubble" else "".join(bubble(b) for b in c["contents"])
            out.append(f'<div class="bot carousel">{inner}</div>')
    quick = messages[-1].get("quickReply", {}).get("items", []) if messages else []
    if quick:
        chips = "".join(f"<span>{html.escape(i['action']['label'])}</span>" for i in quick)
        out.append(f'<div class="qr">{chips}</div>')
    return f'<!doctype html><meta charset="utf-8"><style>{CSS}</style><div class="chat">{"".join(out)}</div>'


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/line")
    out.mkdir(parents=True, exist_ok=True)
    from strategy_data.database import build, connect
    from strategy_data.loader import load

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "strategy.db"
        db = connect(db_path)
        build(db, load())
        db.execute(
            "INSERT INTO kpi_actuals (kpi_id, year, value, note, entered_by, entered_at)"
            " VALUES ('tourism-spending', 2021, 780, NULL, 'example', '2024-05-01T09:00:00+09:00')"
        )
        db.conn.commit()
        answerer = Answerer(db)
        settings = Settings.from_env({"STRATEGY_BOT_DB": str(db_path), "SCHEDULER_ENABLED": "0"})
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--window-size=412,900",
        ):
            options.add_argument(flag)
        with ServerThread(create_app(settings)) as server:
            from bot.charts.data import data_version

            links = ChartLinks(server.url, data_version(db))  # the phone would fetch PUBLIC_BASE_URL
            pages = {
                name: messages_html(q, R.render_reply(answerer.answer(Query(text=q, channel="line")), links))
                for name, q in QUESTIONS.items()
            }
            pages["welcome"] = messages_html(None, R.welcome_messages())
            driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
            try:
                for name, page in pages.items():
                    path = Path(tmp) / f"{name}.html"
                    path.write_text(page, encoding="utf-8")
                    driver.get(path.as_uri())
                    WebDriverWait(driver, 60).until(
                        lambda d: d.execute_script("return [...document.images].every(i => i.complete)")
                    )
                    height = driver.execute_script("return document.body.scrollHeight")
                    driver.execute_cdp_cmd(
                        "Emulation.setDeviceMetricsOverride",
                        {"width": 412, "height": int(height) + 8, "deviceScaleFactor": 1, "mobile": False},
                    )
                    driver.save_screenshot(str(out / f"{name}.png"))
                    print(f"wrote {out / name}.png")
            finally:
                driver.quit()
    (out / "rich-menu.png").write_bytes(draw_image())
    print(f"wrote {out / 'rich-menu.png'}")


if __name__ == "__main__":
    main()
