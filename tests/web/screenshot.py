"""Take the phone-width screenshot of the chat page kept in docs/ (not a test).

Usage: python tests/web/screenshot.py [OUT.png]. Builds a database in a temporary folder, starts the
real server on 127.0.0.1, asks one question in headless Chromium and saves the page.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from support import ServerThread

from bot.config import Settings
from bot.web.app import create_app
from strategy_data.database import build, connect
from strategy_data.loader import load

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/web-chat-phone.png")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "strategy.db"
        db = connect(db_path)
        build(db, load())
        db.close()
        settings = Settings.from_env({"STRATEGY_BOT_DB": str(db_path), "SCHEDULER_ENABLED": "0"})
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in [*FLAGS, f"--user-data-dir={tmp}/profile", "--window-size=412,1500"]:
            options.add_argument(flag)
        with ServerThread(create_app(settings)) as server:
            driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
            try:
                driver.get(server.url + "/")
                driver.find_element(By.ID, "q").send_keys("待機児童の目標は？", Keys.ENTER)
                WebDriverWait(driver, 60).until(
                    lambda d: (
                        d.find_elements(By.CSS_SELECTOR, ".answer img.chart")
                        and d.execute_script("return [...document.images].every(i => i.complete)")
                    )
                )
                driver.execute_script("window.scrollTo(0, 0)")
                out.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(out))
            finally:
                driver.quit()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
