-- Token bookkeeping that Database.md leaves to the application, stored hashed (SHA-256, hex) only.
-- rotated_refresh_tokens: every refresh token that was rotated away, so presenting one again is
--   recognised as reuse (a stolen token) and ends the whole session.
-- auth_tokens: single-use tokens mailed to users, for a password reset or an e-mail verification.

CREATE TABLE rotated_refresh_tokens (
    token_hash VARCHAR(64) PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES user_sessions (id) ON DELETE CASCADE,
    rotated_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_rotated_refresh_tokens_session ON rotated_refresh_tokens (session_id);

CREATE TABLE auth_tokens (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    VARCHAR(20) NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT auth_tokens_token_hash_unique UNIQUE (token_hash),
    CONSTRAINT auth_tokens_purpose_check CHECK (purpose IN ('password_reset', 'email_verification'))
);
CREATE INDEX idx_auth_tokens_user_purpose ON auth_tokens (user_id, purpose);
