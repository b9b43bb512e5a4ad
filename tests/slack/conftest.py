"""Fixtures for the Slack app and the staff tools: a built database per test (copied from one
built per session), since staff commands write to it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from strategy_data.database import build, connect
from strategy_data.loader import load


@pytest.fixture(scope="session")
def _staff_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("staff-template") / "strategy.db"
    db = connect(path)
    build(db, load())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def staff_db_path(_staff_template_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built database that the test may write to."""
    path = tmp_path / "strategy.db"
    shutil.copyfile(_staff_template_db, path)
    return path


@pytest.fixture
def staff_db(staff_db_path: Path):
    db = connect(staff_db_path)
    yield db
    db.close()
