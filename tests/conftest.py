"""Shared fixtures: a database built from the real curated data, and the answer pipeline over it.

- ``built_db_master``: session-scoped path to a database freshly built from ``strategy_data/data``.
  Read it, never write to it.
- ``built_db_path``: a private copy of that database for one test (write freely).
- ``answerer``: one ``handlers.dispatch.Answerer`` for the whole session, over its own copy of the
  database (it records unanswered questions there). Tests that change staff data (KPI actuals,
  meetings) should build their own ``Answerer(connect(built_db_path))``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from strategy_data.database import build, connect

# The tests never read a developer's .env (bot.config reads ./.env unless this names another file).
os.environ["STRATEGY_BOT_ENV_FILE"] = ""
from strategy_data.loader import load


@pytest.fixture(scope="session")
def built_db_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("strategy-db") / "strategy.db"
    db = connect(path)
    try:
        build(db, load())
        from handlers.dispatch import Answerer

        Answerer(db)  # stores the analysis cache, so every copy starts an Answerer quickly
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return path


@pytest.fixture
def built_db_path(built_db_master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "strategy.db"
    shutil.copyfile(built_db_master, path)
    return path


@pytest.fixture(scope="session")
def answerer(built_db_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from handlers.dispatch import Answerer

    path = tmp_path_factory.mktemp("answerer-db") / "strategy.db"
    shutil.copyfile(built_db_master, path)
    db = connect(path)
    try:
        yield Answerer(db)
    finally:
        db.close()
