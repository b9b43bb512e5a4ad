"""Web test rig: the real server (``create_app``) under uvicorn on 127.0.0.1 over a private copy of the
built database, and headless Debian Chromium driven by selenium (skipped only where Chromium is
not installed; CI installs it)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import ServerThread

from bot.config import Settings

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
)
PHONE = (412, 915)  # a common phone viewport, CSS pixels


def web_settings(db_path: Path) -> Settings:
    return Settings.from_env(
        {"STRATEGY_BOT_DB": str(db_path), "SCHEDULER_ENABLED": "0", "USER_HASH_KEY": "web-test-key"}
    )


@pytest.fixture
def web_server(built_db_path: Path) -> Iterator[ServerThread]:
    from bot.web.app import create_app

    with ServerThread(create_app(web_settings(built_db_path))) as server:
        yield server


@pytest.fixture(scope="module")
def shared_server(built_db_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    """One server for the read-only browser tests of a module."""
    from bot.web.app import create_app

    path = tmp_path_factory.mktemp("web-db") / "strategy.db"
    shutil.copyfile(built_db_master, path)
    with ServerThread(create_app(web_settings(path))) as server:
        yield server


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@pytest.fixture
def browser() -> Iterator[Any]:
    if not chromium_available():
        pytest.skip("Debian chromium and chromium-driver are not installed (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}", f"--window-size={PHONE[0]},{PHONE[1]}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
