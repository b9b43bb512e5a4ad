-- The LINE inbox and the state the store holds for the channels (PostgreSQL).
-- line_seen_events and slack_seen_events are the same tables as in SQLite.
CREATE TABLE IF NOT EXISTS line_seen_events (
    webhook_event_id TEXT PRIMARY KEY,   -- LINE's webhookEventId: accepted once
    seen_at TEXT NOT NULL                -- ISO 8601 UTC; purged after 24 h
);
CREATE INDEX IF NOT EXISTS idx_line_seen_events_time ON line_seen_events(seen_at);
CREATE TABLE IF NOT EXISTS slack_seen_events (
    event_id TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_slack_seen_events_time ON slack_seen_events(seen_at);
CREATE TABLE line_inbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_event_id TEXT,               -- NULL for events without one
    position INTEGER NOT NULL DEFAULT 0, -- events of one delivery sharing an id: 0, 1, 2…
    source_key TEXT NOT NULL,            -- keyed hash of the chat: its events are answered in order
    event TEXT,                          -- the raw event JSON while pending; NULL once done
    destination TEXT,
    received_at DOUBLE PRECISION NOT NULL,           -- epoch seconds
    status TEXT NOT NULL DEFAULT 'pending',  -- pending | done
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    lease_until DOUBLE PRECISION,
    done_at DOUBLE PRECISION,
    outcome TEXT,                        -- replied | no_reply | token_expired | reply_failed:… | error:…
    UNIQUE (webhook_event_id, position)
);
CREATE INDEX idx_line_inbox_pending ON line_inbox(status, source_key, id);
CREATE INDEX idx_line_inbox_done ON line_inbox(status, done_at);
CREATE TABLE conversations (
    key TEXT PRIMARY KEY,                -- channel:user hash[:group or thread]
    state TEXT NOT NULL,                 -- JSON
    updated_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX idx_conversations_expiry ON conversations(expires_at);
CREATE TABLE confirm_previews (
    code TEXT PRIMARY KEY,               -- random, carried by the confirm button
    kind TEXT NOT NULL,                  -- e.g. kpi_set
    subject TEXT NOT NULL,               -- e.g. kpi id:year
    payload TEXT NOT NULL,               -- JSON of what will be written
    basis TEXT,                          -- what the subject looked like when previewed (JSON)
    issued_to TEXT NOT NULL,
    issued_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    used_at DOUBLE PRECISION,
    used_by TEXT
);
CREATE INDEX idx_confirm_previews_expiry ON confirm_previews(expires_at);
CREATE TABLE command_replays (
    digest TEXT PRIMARY KEY,             -- SHA-256 of a signed request (timestamp and body)
    seen_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX idx_command_replays_time ON command_replays(seen_at);
