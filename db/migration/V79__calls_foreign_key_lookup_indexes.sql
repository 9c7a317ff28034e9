-- Two foreign keys of calls had no index on their column, so PostgreSQL's action for each deleted
-- parent row (ON DELETE SET NULL: UPDATE calls ... WHERE <column> = $1) read the whole calls table:
--   calls_campaign_recipient_fk  deleting a draft campaign removes its recipients by cascade, one full
--                                read of calls per recipient (100,000 recipients, 10M calls)
--   calls_transcript_fk          closing an account deletes its transcripts, one full read per transcript
-- Both are partial: most calls have no campaign, and a call's recipient never changes after its insert;
-- a call's transcript is linked by the update that ends it, which is not HOT anyway (status changes).
CREATE INDEX idx_calls_campaign_recipient ON calls (campaign_recipient_id) WHERE campaign_recipient_id IS NOT NULL;
CREATE INDEX idx_calls_transcript ON calls (transcript_id) WHERE transcript_id IS NOT NULL;
