"""A cache of the analyzer's output for the corpus texts, kept in the database.

Analyzing every name and body with fugashi takes a few hundred milliseconds; the cache makes a new
process ready in a few tens. It is keyed by the analyzer version and the dictionary versions, holds
only the texts of the current data (rewritten when any text changed) and is never required: any
failure to read or write it just means analyzing again.
"""

from __future__ import annotations

import json
import logging
from importlib import metadata

import sqlite_utils

from nlp.analyze import ANALYZER_VERSION
from nlp.index import Features

log = logging.getLogger("strategy_bot.answer")

TABLE = "answer_analysis_cache"
_SCHEMA = f"CREATE TABLE IF NOT EXISTS {TABLE} (version TEXT PRIMARY KEY, features TEXT NOT NULL)"


def cache_version() -> str:
    parts = [f"analyzer={ANALYZER_VERSION}"]
    for package in ("fugashi", "unidic-lite"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            parts.append(f"{package}=?")
    return ";".join(parts)


def load_memo(db: sqlite_utils.Database) -> dict[str, Features]:
    try:
        if TABLE not in db.table_names():
            return {}
        row = db.execute(f"SELECT features FROM {TABLE} WHERE version = ?", [cache_version()]).fetchone()
        if row is None:
            return {}
        raw = json.loads(row[0])
        return {k: (v[0], tuple(v[1]), tuple(v[2]), v[3]) for k, v in raw.items()}
    except Exception:  # a damaged cache is only a slower start
        log.warning("analysis cache unreadable; analyzing the corpus again")
        return {}


def save_memo(db: sqlite_utils.Database, memo: dict[str, Features]) -> None:
    payload = json.dumps(
        {k: [v[0], list(v[1]), list(v[2]), v[3]] for k, v in memo.items()}, ensure_ascii=False
    )
    try:
        previous = int(db.execute("PRAGMA busy_timeout").fetchone()[0])
        db.execute("PRAGMA busy_timeout=500")  # never hold a start-up for an optional write
    except Exception:  # pragma: no cover - a closed connection
        return
    try:
        with db.atomic():
            db.execute(_SCHEMA)
            db.execute(f"DELETE FROM {TABLE}")
            db.execute(f"INSERT INTO {TABLE} (version, features) VALUES (?, ?)", [cache_version(), payload])
    except Exception:  # read-only or busy database: the next start analyzes again
        log.warning("could not store the analysis cache")
    finally:
        db.execute(f"PRAGMA busy_timeout={previous}")


def warm_analysis_cache(db: sqlite_utils.Database) -> None:
    """Analyze the freshly built corpus now (``strategy-bot load-data``), so that the first process
    to answer a question starts fast. Never fails: the cache only saves time."""
    from handlers.corpus import Corpus
    from nlp.index import Index

    try:
        index = Index(Corpus.load(db).docs(), memo=load_memo(db))
        if index.memo_misses:
            save_memo(db, index.memo)
    except Exception:
        log.warning("could not prepare the analysis cache")
