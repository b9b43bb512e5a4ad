"""The curated data, loaded and built once per test module (in memory, from the data directory)."""

from __future__ import annotations

import pytest

from strategy_data.database import build, connect
from strategy_data.loader import load


@pytest.fixture(scope="module")
def data():
    return load()


@pytest.fixture(scope="module")
def db(data):
    database = connect(memory=True)
    build(database, data)
    return database
