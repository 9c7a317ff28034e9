-- Four indexes of calls that another index already serves, dropped: every insert and every update
-- that is not HOT writes each index of the table, and at 10M calls (issue 26, bench/growth.sh) the
-- update of a call as its webhooks arrive was the campaign path's costliest statement, with its
-- indexes no longer in memory and each touched index page adding a full-page image to the WAL.
--   idx_calls_bolna_execution_id  the same column as the unique constraint calls_bolna_execution_id_unique
--   idx_calls_user_id             the leading column of idx_calls_user_created_at
--   idx_calls_agent_id            the leading column of idx_calls_agent_created_at
--   idx_calls_completed           (user_id, created_at) WHERE status = 'completed': idx_calls_user_status_created_at
--                                 (user_id, status, created_at) reads the same entries in the same order
DROP INDEX idx_calls_bolna_execution_id;
DROP INDEX idx_calls_user_id;
DROP INDEX idx_calls_agent_id;
DROP INDEX idx_calls_completed;
