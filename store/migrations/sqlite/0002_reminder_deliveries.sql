-- Committee reminder deliveries behind the store (SQLite: the table existed before; adopted).
CREATE TABLE IF NOT EXISTS reminder_deliveries (
    id INTEGER PRIMARY KEY,
    meeting_key TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    retry_key TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT,
    lease_until TEXT,
    finished_at TEXT,
    detail TEXT,
    UNIQUE (meeting_key, starts_at, kind, recipient)
);
CREATE INDEX IF NOT EXISTS idx_reminder_deliveries_status ON reminder_deliveries(status, lease_until);
