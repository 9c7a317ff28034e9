-- A call has one outcome: written once when the call ends, completed when its lead analysis
-- arrives. The unique index lets the writer insert with ON CONFLICT DO NOTHING, so a repeated
-- terminal event or a replayed webhook cannot add a second row.
DROP INDEX idx_agent_call_outcomes_call_id;
CREATE UNIQUE INDEX agent_call_outcomes_call_unique ON agent_call_outcomes (call_id);
