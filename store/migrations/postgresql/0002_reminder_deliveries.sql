-- Committee reminder deliveries: each (meeting, start, kind, recipient) claimed once, by one replica.
-- Times are ISO 8601 text in Asia/Tokyo (one fixed offset: text order is time order), as in SQLite.
CREATE TABLE reminder_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
CREATE INDEX idx_reminder_deliveries_status ON reminder_deliveries(status, lease_until);
