-- Accounts that read live events (GET /api/events) recently: their events are written to the outbox
-- even without a webhook endpoint, so that a stream resuming with Last-Event-ID within the hour finds
-- what it missed. Touched when a stream opens and every few minutes while it stays open.
CREATE TABLE live_event_readers (
    user_id      UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
