-- Which calls have already counted as a failed connection of their contact, so that
-- contacts.not_connected rises once per call however often the provider reports the failure.

CREATE TABLE contact_connection_failures (
    call_id    UUID PRIMARY KEY,
    contact_id UUID NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    counted_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT contact_connection_failures_call_same_user_fk FOREIGN KEY (call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE CASCADE
);
CREATE INDEX idx_contact_connection_failures_contact ON contact_connection_failures (contact_id);
