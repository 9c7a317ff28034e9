-- The intent to delete an agent on Bolna, recorded before the provider is called (account
-- closure): set with the agent's deactivation in the closing transaction, cleared once Bolna has
-- deleted it. Agents still pending are retried by a scheduled job.
ALTER TABLE agents ADD COLUMN bolna_deletion_pending BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX idx_agents_bolna_deletion_pending ON agents (updated_at) WHERE bolna_deletion_pending;
