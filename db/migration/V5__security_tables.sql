-- Authentication and audit: sessions with hashed tokens, login and password-reset attempts
-- (for lockout and rate limits), and the audit trail of admin actions.

CREATE TABLE user_sessions (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash         VARCHAR(255) NOT NULL,
    refresh_token_hash VARCHAR(255),
    expires_at         TIMESTAMPTZ NOT NULL,
    refresh_expires_at TIMESTAMPTZ,
    ip_address         INET,
    user_agent         TEXT,
    is_active          BOOLEAN NOT NULL DEFAULT true,
    last_used_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_user_sessions_user_id ON user_sessions (user_id);
CREATE INDEX idx_user_sessions_token_hash ON user_sessions (token_hash);
CREATE UNIQUE INDEX idx_user_sessions_refresh_token_hash ON user_sessions (refresh_token_hash)
    WHERE refresh_token_hash IS NOT NULL;
CREATE INDEX idx_user_sessions_expires_at ON user_sessions (expires_at);
-- "active sessions": PostgreSQL forbids CURRENT_TIMESTAMP in an index predicate, so the partial
-- index keeps is_active rows ordered by expiry and queries add expires_at > now().
CREATE INDEX idx_user_sessions_active ON user_sessions (user_id, expires_at) WHERE is_active = true;

CREATE TABLE login_attempts (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email          VARCHAR(255) NOT NULL,
    ip_address     INET,
    attempted_at   TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success        BOOLEAN NOT NULL DEFAULT false,
    failure_reason VARCHAR(100)
);
CREATE INDEX idx_login_attempts_email ON login_attempts (email, attempted_at);
CREATE INDEX idx_login_attempts_ip ON login_attempts (ip_address, attempted_at);
CREATE INDEX idx_login_attempts_attempted_at ON login_attempts (attempted_at);

CREATE TABLE password_reset_attempts (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email        VARCHAR(255) NOT NULL,
    ip_address   INET,
    attempted_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success      BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX idx_password_reset_attempts_email ON password_reset_attempts (email, attempted_at);
CREATE INDEX idx_password_reset_attempts_ip ON password_reset_attempts (ip_address, attempted_at);
CREATE INDEX idx_password_reset_attempts_attempted_at ON password_reset_attempts (attempted_at);

CREATE TABLE admin_audit_log (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- nullable so the trail outlives a deleted admin account
    admin_user_id  UUID REFERENCES users (id) ON DELETE SET NULL,
    action         VARCHAR(100) NOT NULL,
    resource_type  VARCHAR(50) NOT NULL,
    resource_id    VARCHAR(255),
    target_user_id UUID REFERENCES users (id) ON DELETE SET NULL,
    details        JSONB NOT NULL DEFAULT '{}'::jsonb,
    ip_address     INET,
    user_agent     TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_admin_audit_log_admin_user_id ON admin_audit_log (admin_user_id);
CREATE INDEX idx_admin_audit_log_action ON admin_audit_log (action);
CREATE INDEX idx_admin_audit_log_resource_type ON admin_audit_log (resource_type);
CREATE INDEX idx_admin_audit_log_target_user_id ON admin_audit_log (target_user_id);
CREATE INDEX idx_admin_audit_log_created_at ON admin_audit_log (created_at);
