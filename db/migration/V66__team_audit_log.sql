-- What the members of a workspace did (issue 27), for GET /api/team/audit-log: every change made
-- through the API inside the workspace, by whom, on what, from where. Kept with the workspace.

CREATE TABLE team_audit_log (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    actor_user_id UUID REFERENCES users (id) ON DELETE SET NULL,
    action        VARCHAR(200) NOT NULL,
    resource_type VARCHAR(50),
    resource_id   VARCHAR(255),
    details       JSONB NOT NULL DEFAULT '{}',
    ip_address    INET,
    user_agent    TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_team_audit_log_workspace_created ON team_audit_log (workspace_id, created_at DESC, id);
