"""The two database backends of the store: SQLite (one file, the default) and PostgreSQL.

Every query of the store is written once, in the SQL both databases speak (``INSERT … ON CONFLICT DO
NOTHING``, ``UPDATE … RETURNING``, ``?`` placeholders), and runs through :meth:`Backend.transaction`.
What differs lives here and nowhere else:

- placeholders: ``?`` is rewritten to psycopg's ``%s`` (SQL of the store never contains a literal ``?``);
- row locks: :attr:`Backend.skip_locked` is ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so claimers on
  different replicas skip each other's rows; SQLite has one writer at a time (``BEGIN IMMEDIATE``), so
  a claim is atomic without it. :meth:`Tx.lock` serializes writers of one kind of state (every change
  of the KPI actuals, say): ``SELECT … FOR UPDATE`` of its row in ``state_locks`` on PostgreSQL; on
  SQLite the transaction already holds the database's write lock;
- reads: :meth:`Backend.read` is a transaction that takes no write lock on SQLite (a deferred
  ``BEGIN``), so answers reading staff state do not queue behind writers;
- connections: SQLite opens one per thread (WAL, a busy timeout, one writer per process at a time so
  that threads queue on a lock instead of SQLite's sleeping busy handler); PostgreSQL uses a
  ``psycopg_pool.ConnectionPool``.

A database that cannot be reached raises :class:`StoreUnavailable`, so callers can answer 503.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

Row = dict[str, Any]


class StoreUnavailable(RuntimeError):
    """The database cannot be reached (or refused the transaction for a reason outside our control)."""


class Tx:
    """One open transaction: ``execute`` returns the rows of statements that return rows."""

    def __init__(self, cursor: Any, paramstyle: str):
        self._cursor = cursor
        self._pg = paramstyle == "format"
        self.rowcount = 0

    def lock(self, name: str) -> None:
        """Hold the lock ``name`` until this transaction ends: writers of the same state queue here,
        whichever replica they run on (a row lock of ``state_locks`` on PostgreSQL; SQLite's
        ``BEGIN IMMEDIATE`` already serializes every writer of the file)."""
        if not self._pg:
            return
        self.execute("INSERT INTO state_locks (name) VALUES (?) ON CONFLICT DO NOTHING", [name])
        self.execute("SELECT name FROM state_locks WHERE name = ? FOR UPDATE", [name])

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        if self._pg:
            sql = sql.replace("%", "%%").replace("?", "%s")
        self._cursor.execute(sql, tuple(params))
        self.rowcount = self._cursor.rowcount
        if self._cursor.description is None:
            return []
        names = [d[0] for d in self._cursor.description]
        rows = self._cursor.fetchall()
        return [r if isinstance(r, dict) else dict(zip(names, r, strict=True)) for r in rows]

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.execute(sql, params)
        return rows[0] if rows else None


class Backend:
    dialect: str
    skip_locked: str
    _setup: Callable[[Backend], object] | None = None
    _ready = True

    def transaction(self) -> contextlib.AbstractContextManager[Tx]:
        """A read-write transaction (SQLite: ``BEGIN IMMEDIATE``)."""
        self._ensure_setup()
        return self._transaction()

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        """A transaction for reading only (SQLite: a deferred ``BEGIN``, no write lock)."""
        self._ensure_setup()
        return self._read()

    def _transaction(self) -> contextlib.AbstractContextManager[Tx]:
        raise NotImplementedError

    def _read(self) -> contextlib.AbstractContextManager[Tx]:
        return self._transaction()

    def defer_setup(self, setup: Callable[[Backend], object]) -> None:
        """Run ``setup`` (the schema migrations) before the first transaction that reaches the
        database, and again at the next one while it fails: a replica started while its database is
        down comes up and answers 503 until the database is back."""
        self._setup_lock = threading.RLock()
        self._in_setup = False
        self._failed: tuple[float, str] | None = None
        self._setup = setup
        self._ready = False

    def _ensure_setup(self) -> None:
        if self._ready or self._setup is None:
            return
        arrived = time.monotonic()
        with self._setup_lock:
            if self._ready or self._in_setup:
                return  # done meanwhile, or the setup's own transactions
            if self._failed is not None and self._failed[0] >= arrived:
                # the attempt this caller waited for failed just now: one attempt at a time, not one
                # connect timeout per waiting thread
                raise StoreUnavailable(self._failed[1])
            self._in_setup = True
            try:
                self._setup(self)
                self._ready = True
            except StoreUnavailable as exc:
                self._failed = (time.monotonic(), str(exc))
                raise
            finally:
                self._in_setup = False

    def ping(self) -> bool:
        """Whether the database answers now."""
        try:
            with self.transaction() as tx:
                tx.execute("SELECT 1")
            return True
        except StoreUnavailable:
            return False

    def sync_identity(self, tx: Tx, table: str) -> None:
        """After rows were inserted with explicit ids: new rows get ids above them (PostgreSQL
        identities do not follow explicit ids; SQLite's rowids do)."""

    def close(self) -> None:
        pass


class SqliteBackend(Backend):
    dialect = "sqlite"
    skip_locked = ""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Tx]:
        try:
            conn = self._conn()
            conn.execute("BEGIN")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"SQLite: {exc}") from exc
        cur = conn.cursor()
        try:
            yield Tx(cur, "qmark")
        finally:
            cur.close()
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Tx]:
        with self._write_lock:
            try:
                conn = self._conn()
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"SQLite: {exc}") from exc
            cur = conn.cursor()
            try:
                yield Tx(cur, "qmark")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                cur.close()

    def close(self) -> None:
        with self._conns_lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()


class SqliteConnBackend(Backend):
    """A backend over an sqlite3 connection the caller already holds (code written against
    sqlite-utils that moves its tables behind the store one at a time). Inside a transaction the
    caller opened, a savepoint."""

    dialect = "sqlite"
    skip_locked = ""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Tx]:
        conn = self.conn
        with self._lock:
            nested = conn.in_transaction
            try:
                if not nested:
                    conn.execute("BEGIN")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"SQLite: {exc}") from exc
            cur = conn.cursor()
            try:
                yield Tx(cur, "qmark")
            finally:
                cur.close()
                if not nested:
                    conn.execute("COMMIT")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Tx]:
        conn = self.conn
        with self._lock:
            nested = conn.in_transaction
            try:
                conn.execute("SAVEPOINT store_tx" if nested else "BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"SQLite: {exc}") from exc
            cur = conn.cursor()
            try:
                yield Tx(cur, "qmark")
            except BaseException:
                conn.execute("ROLLBACK TO store_tx" if nested else "ROLLBACK")
                if nested:
                    conn.execute("RELEASE store_tx")
                raise
            else:
                conn.execute("RELEASE store_tx" if nested else "COMMIT")
            finally:
                cur.close()


class PostgresBackend(Backend):
    dialect = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"
    RETRY_AFTER = 1.0  # seconds after a failed connection during which callers fail at once
    _down_at: float | None = None

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 3.0):
        import psycopg
        from psycopg_pool import ConnectionPool

        self._psycopg = psycopg
        self.url = url
        self._timeout = timeout
        self._pool = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            kwargs={"connect_timeout": max(1, int(timeout))},
            check=ConnectionPool.check_connection,
            open=False,
            name="strategy-bot",
        )
        self._pool.open(wait=False)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Tx]:
        psycopg = self._psycopg
        from psycopg_pool import PoolTimeout

        down_since = self._down_at
        if down_since is not None and time.monotonic() - down_since < self.RETRY_AFTER:
            # it did not answer a moment ago: one request waits the pool timeout, not every step of it
            raise StoreUnavailable("PostgreSQL: unavailable a moment ago")
        try:
            conn_cm = self._pool.connection(timeout=self._timeout)
            conn = conn_cm.__enter__()
        except (PoolTimeout, psycopg.OperationalError) as exc:
            self._down_at = time.monotonic()
            raise StoreUnavailable(f"PostgreSQL: {type(exc).__name__}") from exc
        self._down_at = None
        try:
            try:
                with conn.transaction(), conn.cursor() as cur:
                    yield Tx(cur, "format")
            except psycopg.OperationalError as exc:
                raise StoreUnavailable(f"PostgreSQL: {type(exc).__name__}") from exc
        except BaseException as exc:
            conn_cm.__exit__(type(exc), exc, exc.__traceback__)
            raise
        else:
            conn_cm.__exit__(None, None, None)

    def sync_identity(self, tx: Tx, table: str) -> None:
        tx.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")

    def close(self) -> None:
        self._pool.close()


_PG_URL = re.compile(r"^postgres(ql)?(\+psycopg)?://", re.IGNORECASE)


def open_backend(url_or_path: str | Path) -> Backend:
    """``postgresql://…`` opens PostgreSQL; anything else is a SQLite file path."""
    text = str(url_or_path)
    if _PG_URL.match(text):
        return PostgresBackend(_PG_URL.sub("postgresql://", text))
    return SqliteBackend(text.removeprefix("sqlite:///"))
