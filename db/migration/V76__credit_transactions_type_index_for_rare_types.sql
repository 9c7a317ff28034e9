-- idx_credit_transactions_type (V4) is replaced by an index of the rare types only (purchases, refunds,
-- bonuses, adjustments: what reports filter the ledger by). Nearly every row is a call's usage debit, and
-- the whole-column index misled the settlement's check for calls already debited (type = 'usage' AND
-- call_id = ANY(...), CreditLedgerRepository.usageCalls): planned before the table had statistics (a
-- fresh database; a statement kept prepared on a pooled connection until its next replan), PostgreSQL
-- judged type = 'usage' the more selective condition and kept a plan that read every usage row of the
-- ledger, then filtered them by call. Measured in bench/webhook-sustained.sh (pg_stat_statements,
-- auto_explain): 1.37 ms per webhook batch with call ends at 32,000 usage rows, growing with the ledger.
-- Without the column's index for usage rows, the calls' index on call_id (usage only, unique) is the
-- one that serves the check, with or without statistics (UsageCheckPlanTest).
DROP INDEX idx_credit_transactions_type;
CREATE INDEX idx_credit_transactions_rare_types ON credit_transactions (type) WHERE type <> 'usage';
