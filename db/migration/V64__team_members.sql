-- Teams (issue 27): a workspace is the tenant, keyed by its founding account's users.id, which
-- every tenant-owned row already carries in user_id. team_members says which workspace each
-- account acts in and with which role. Every account starts as the owner of its own workspace
-- (the trigger below, also for accounts created by SQL); accepting an invitation moves the new
-- account into the inviting workspace. A user belongs to one workspace, so user_id is the key.

CREATE TABLE team_members (
    user_id      UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    workspace_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_role    VARCHAR(16) NOT NULL,
    joined_at    TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    invited_by   UUID REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT team_members_role_check CHECK (team_role IN ('owner', 'admin', 'member', 'viewer'))
);
CREATE INDEX idx_team_members_workspace ON team_members (workspace_id, joined_at);
-- exactly one owner at a time: a transfer demotes the old owner and promotes the new one in one transaction
CREATE UNIQUE INDEX team_members_one_owner ON team_members (workspace_id) WHERE team_role = 'owner';

INSERT INTO team_members (user_id, workspace_id, team_role, joined_at)
SELECT id, id, 'owner', created_at FROM users;

CREATE FUNCTION team_members_own_workspace() RETURNS trigger AS $$
BEGIN
    INSERT INTO team_members (user_id, workspace_id, team_role, joined_at)
    VALUES (NEW.id, NEW.id, 'owner', NEW.created_at);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_own_workspace AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION team_members_own_workspace();
