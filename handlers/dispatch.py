"""The answer pipeline: ``Answerer(db).answer(Query) -> Reply`` (placeholder, being built)."""

from __future__ import annotations

import sqlite_utils

from handlers.reply import Query, Reply

DEFAULT_CONTACT = "熊本市 政策局総合政策部政策企画課"


class Answerer:
    def __init__(self, db: sqlite_utils.Database, *, contact: str = DEFAULT_CONTACT):
        self.db = db
        self.contact = contact

    def answer(self, query: Query) -> Reply:
        return Reply(
            kind="fallback",
            answered=False,
            text=f"申し訳ありません、お答えできませんでした。{self.contact}へお問い合わせください。",
        )
