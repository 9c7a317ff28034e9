-- Four indexes of calls that no query needs, dropped (issue 26: each index is written on every insert
-- and on every update that is not HOT, and a call is inserted, bound to its execution and ended by
-- updates that cannot be HOT). Checked against every query the code runs (decision 0058):
--   idx_calls_status            (status) no tenant query reads it (they lead with user_id); only the
--                               admin count filtered by a status across every tenant did, now a scan
--                               like the admin page's unfiltered count beside it; it also led the
--                               planner astray in roll_up_call_ends (decision 0057)
--   idx_calls_call_source_user  (call_source, user_id) the source analytics are planned on
--                               idx_calls_user_created_at; a call list filtered by source reads the
--                               tenant's rows, as the lifecycle and lead-type filters already do
--   idx_calls_caller_email      caller_email is never written but to NULL (closed accounts) and never read
--   idx_calls_unbound_dials     the reconciliation's unbound dials are read through idx_calls_in_progress
--                               (the same calls in the same order; bounded by the calls in progress)
DROP INDEX idx_calls_status;
DROP INDEX idx_calls_call_source_user;
DROP INDEX idx_calls_caller_email;
DROP INDEX idx_calls_unbound_dials;
