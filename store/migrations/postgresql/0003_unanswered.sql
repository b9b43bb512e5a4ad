-- Questions the bot could not answer: normalized text, channel, time (ISO 8601, Asia/Tokyo); no user id.
CREATE TABLE unanswered (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    text TEXT NOT NULL,
    channel TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE INDEX idx_unanswered_time ON unanswered(asked_at);
