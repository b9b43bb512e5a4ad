"""The store's tests run against both backends: a SQLite file and a real PostgreSQL server (started
by the tests, see ``tests/postgres.py``; skipped where PostgreSQL is not installed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from postgres import PostgresServer, postgres_server

from store import Store, open_store


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    server: PostgresServer | None = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    return server.create_database()


@pytest.fixture
def open_stores(store_url: str) -> Iterator[Callable[[], Store]]:
    """Open any number of stores on one database (as separate replicas would); all closed at the end."""
    opened: list[Store] = []

    def make() -> Store:
        s = open_store(store_url)
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def store(open_stores: Callable[[], Store]) -> Store:
    return open_stores()
