-- The unanswered log behind the store (SQLite: the table existed before; adopted).
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    channel TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_unanswered_time ON unanswered(asked_at);
