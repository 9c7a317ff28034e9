-- Generic per-user key/value cache for dashboard payloads, with expiry (see cleanup_expired_dashboard_cache).

CREATE TABLE dashboard_cache (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cache_key  VARCHAR(100) NOT NULL,
    cache_data JSONB NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT dashboard_cache_user_key_unique UNIQUE (user_id, cache_key)
);
CREATE INDEX idx_dashboard_cache_expires_at ON dashboard_cache (expires_at);
