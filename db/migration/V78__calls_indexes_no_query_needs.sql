-- Three indexes of calls that no query needs, dropped (issue 26: each index is written on every insert
-- and on every update that is not HOT, and a call is inserted, bound to its execution and ended by
-- updates that cannot be HOT). Checked against every query the code runs (decision 0058):
--   idx_calls_call_source_user  (call_source, user_id) the source analytics are planned on
--                               idx_calls_user_created_at; a call list filtered by source reads the
--                               tenant's rows, as the lifecycle and lead-type filters already do
--   idx_calls_caller_email      caller_email is never written but to NULL (closed accounts) and never read
--   idx_calls_unbound_dials     the reconciliation's unbound dials (no execution id yet, in progress) are
--                               found through calls_bolna_execution_id_unique's NULL entries, alone or
--                               combined with idx_calls_in_progress: as many as the dials in flight
-- IF EXISTS: on a large table an operator may drop them beforehand with DROP INDEX CONCURRENTLY.
DROP INDEX IF EXISTS idx_calls_call_source_user;
DROP INDEX IF EXISTS idx_calls_caller_email;
DROP INDEX IF EXISTS idx_calls_unbound_dials;
