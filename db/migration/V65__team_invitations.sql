-- Invitations to a workspace (issue 27): by e-mail, with a single-use token of which only the
-- SHA-256 is kept. Resending draws a new token (the old link stops working) and a new expiry.
-- A pending invitation per e-mail and workspace at most; accepted, revoked and expired ones stay
-- for the team's history.

CREATE TABLE team_invitations (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email         VARCHAR(255) NOT NULL,
    team_role     VARCHAR(16) NOT NULL,
    token_hash    CHAR(64) NOT NULL,
    status        VARCHAR(16) NOT NULL DEFAULT 'pending',
    invited_by    UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at    TIMESTAMPTZ NOT NULL,
    accepted_at   TIMESTAMPTZ,
    accepted_user UUID REFERENCES users (id) ON DELETE SET NULL,
    revoked_at    TIMESTAMPTZ,
    CONSTRAINT team_invitations_role_check CHECK (team_role IN ('admin', 'member', 'viewer')),
    CONSTRAINT team_invitations_status_check CHECK (status IN ('pending', 'accepted', 'revoked')),
    CONSTRAINT team_invitations_email_normalised_check CHECK (email = lower(btrim(email)) AND email <> ''),
    CONSTRAINT team_invitations_token_unique UNIQUE (token_hash)
);
CREATE INDEX idx_team_invitations_workspace ON team_invitations (workspace_id, created_at);
CREATE UNIQUE INDEX team_invitations_one_pending ON team_invitations (workspace_id, email) WHERE status = 'pending';
