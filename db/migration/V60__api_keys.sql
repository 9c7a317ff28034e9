-- API keys for server-to-server use. Only the SHA-256 of a key is stored; its first characters
-- (prefix) find the row, then the hash is compared in constant time. A revoked key keeps its row
-- (revoked_at) so that the owner's list and audits still name it; it never authenticates again.

CREATE TABLE api_keys (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    prefix       VARCHAR(16) NOT NULL,
    key_hash     CHAR(64) NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT api_keys_prefix_unique UNIQUE (prefix)
);
CREATE INDEX idx_api_keys_user_created ON api_keys (user_id, created_at) WHERE revoked_at IS NULL;
