-- Staff state behind the store (SQLite: the tables existed in the curated file before; adopted).
-- KPI actuals and their audit log, staff meetings, LINE subscriptions and member invite codes.
CREATE TABLE IF NOT EXISTS kpi_actuals (
    id INTEGER PRIMARY KEY,
    kpi_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    value REAL NOT NULL,
    note TEXT,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (kpi_id, year)
);
CREATE TABLE IF NOT EXISTS kpi_audit (
    id INTEGER PRIMARY KEY,
    kpi_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    action TEXT NOT NULL,
    old_value REAL,
    new_value REAL,
    old_note TEXT,
    new_note TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    reverted_audit_id INTEGER
);
CREATE INDEX IF NOT EXISTS idx_kpi_audit_actor ON kpi_audit(actor, id);
CREATE INDEX IF NOT EXISTS idx_kpi_audit_kpi ON kpi_audit(kpi_id, year);
CREATE TABLE IF NOT EXISTS staff_meetings (
    id INTEGER PRIMARY KEY,
    number INTEGER,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'scheduled',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_staff_meetings_start ON staff_meetings(status, starts_at);
CREATE TABLE IF NOT EXISTS line_subscriptions (
    user_id TEXT PRIMARY KEY,
    user_hash TEXT NOT NULL,
    member_id TEXT,
    subscribed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS member_invites (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    member_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by_hash TEXT,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS state_locks (
    name TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS store_adoptions (
    name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    rows INTEGER NOT NULL
);
