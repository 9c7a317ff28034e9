-- A dial is recorded before POST /call leaves: the call row exists (committed) while Bolna has not
-- yet answered, without an execution id. dial_status says how far the dial got:
--   dialing      the row is written and POST /call is (or was) on its way;
--   confirmed    Bolna answered with the execution id, or a webhook carrying the attempt id bound it;
--   unconfirmed  Bolna's answer was lost (timeout, reset, 5xx): a webhook or reconciliation settles it.
-- Calls that Bolna reports on its own (inbound) have no dial_status. Only a recorded dial may lack an
-- execution id; the unique constraint still holds for every id that is known.

ALTER TABLE calls ALTER COLUMN bolna_execution_id DROP NOT NULL,
    ADD COLUMN dial_status VARCHAR(20),
    ADD CONSTRAINT calls_dial_status_check CHECK (dial_status IN ('dialing', 'confirmed', 'unconfirmed')),
    ADD CONSTRAINT calls_execution_id_or_dial_check CHECK (bolna_execution_id IS NOT NULL OR dial_status IS NOT NULL);

-- reconciliation looks for dials whose answer never came
CREATE INDEX idx_calls_unbound_dials ON calls (created_at) WHERE bolna_execution_id IS NULL AND status = 'in_progress';
