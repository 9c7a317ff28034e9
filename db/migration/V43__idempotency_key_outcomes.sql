-- An Idempotency-Key of POST /api/calls is remembered from the moment its dial is recorded, for every
-- outcome (placed, unconfirmed, refused by Bolna): call_id names the recorded call, and completed_at
-- stays NULL while the dial is on its way (a repeat then waits for the outcome instead of dialling).

ALTER TABLE idempotency_keys ADD COLUMN call_id UUID, ADD COLUMN completed_at TIMESTAMPTZ;
UPDATE idempotency_keys SET completed_at = created_at;
