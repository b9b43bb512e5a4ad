"""The parsed word-vector keys (``nlp.vectors``), kept in the database so no process parses them.

Parsing ja-ginza's ``key2row`` takes about half a second; ``strategy-bot load-data`` stores the parsed
keys and rows (about 4 MB) once per ja-ginza version, and the answer pipeline reads them in a few
milliseconds. Like the analysis cache it is never required: without it the vectors are parsed on
first use, and without ja-ginza there is no semantic backstop at all.
"""

from __future__ import annotations

import logging

import sqlite_utils

from nlp import vectors

log = logging.getLogger("strategy_bot.answer")

TABLE = "word_vector_keys"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (version TEXT PRIMARY KEY, keys BLOB NOT NULL, rows BLOB NOT NULL)"
)


def load_vector_keys(db: sqlite_utils.Database):  # -> tuple[np.ndarray, np.ndarray] | None
    """The stored keys and rows for the installed ja-ginza, or None."""
    version = vectors.version()
    if version is None:
        return None
    try:
        if TABLE not in db.table_names():
            return None
        row = db.execute(f"SELECT keys, rows FROM {TABLE} WHERE version = ?", [version]).fetchone()
    except Exception:
        return None
    if row is None:
        return None
    import numpy as np

    return np.frombuffer(row[0], dtype=np.uint64), np.frombuffer(row[1], dtype=np.int32)


def store_vector_keys(db: sqlite_utils.Database) -> None:
    """Parse the installed vectors' keys and store them (``strategy-bot load-data``); never fails."""
    version = vectors.version()
    if version is None or load_vector_keys(db) is not None:
        return
    try:
        loaded = vectors.WordVectors.load()
        if loaded is None:
            return
        with db.atomic():
            db.execute(_SCHEMA)
            db.execute(f"DELETE FROM {TABLE}")
            db.execute(
                f"INSERT INTO {TABLE} (version, keys, rows) VALUES (?, ?, ?)",
                [version, loaded.keys.tobytes(), loaded.rows.tobytes()],
            )
    except Exception:
        log.warning("could not store the word-vector keys")
