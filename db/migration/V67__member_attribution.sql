-- Attribution (issue 27): which member of the workspace created a call, a campaign, a contact or
-- an API key (follow-ups have had created_by and completed_by from the start). NULL for rows made
-- before teams or by the platform (a campaign's dials are accounted for by the campaign, a contact
-- auto-created from a call by nobody).

ALTER TABLE calls ADD COLUMN created_by UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE campaigns ADD COLUMN created_by UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE contacts ADD COLUMN created_by UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE api_keys ADD COLUMN created_by UUID REFERENCES users (id) ON DELETE SET NULL;
-- keys made before teams were made by the workspace's founding account
UPDATE api_keys SET created_by = user_id;
CREATE INDEX idx_api_keys_created_by ON api_keys (created_by) WHERE revoked_at IS NULL;
