-- Two foreign keys of calls had no index on their column, so PostgreSQL's action for each deleted
-- parent row (ON DELETE SET NULL: UPDATE calls ... WHERE <column> = $1) read the whole calls table:
--   calls_campaign_recipient_fk  deleting a draft campaign removes its recipients by cascade, one full
--                                read of calls per recipient (100,000 recipients, 10M calls)
--   calls_transcript_fk          closing an account deletes its transcripts, one full read per transcript
-- (calls_created_by_fkey has none either: users are closed, never deleted, decision 0058.)
-- Both are partial: most calls have no campaign, and a call's recipient never changes after its insert;
-- the transcript's link changes once, when the first event that carries a transcript is applied.
-- IF NOT EXISTS: on a large table an operator may build them beforehand with CREATE INDEX CONCURRENTLY
-- (a plain CREATE INDEX blocks writes to calls while it reads the table).
CREATE INDEX IF NOT EXISTS idx_calls_campaign_recipient ON calls (campaign_recipient_id)
    WHERE campaign_recipient_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_calls_transcript ON calls (transcript_id) WHERE transcript_id IS NOT NULL;
