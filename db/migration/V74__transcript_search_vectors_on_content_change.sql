-- The transcript search vectors (V72) are computed when the content (or the tenant) is written, not on
-- every update of the row. PostgreSQL 15 recomputes a stored generated column on every UPDATE, whatever
-- it changes: setting a transcript's analysis_status (the lead analysis does it at least twice per call)
-- parsed the whole content into two tsvectors again: 2.2-3.5 ms per status update of a 4.5 KB transcript
-- against 0.4-0.5 ms without them (1,000 updates through psql), 173 ms and 1,738 buffers for one of a
-- 200 KB transcript (EXPLAIN ANALYZE). The columns keep their values (DROP EXPRESSION) and their indexes;
-- a BEFORE trigger sets them on INSERT and on an UPDATE that names content, user_id or either vector,
-- always from the row's content. It fires in every session_replication_role (ENABLE ALWAYS: bulk loads
-- that set the role to replica to skip triggers still get their vectors), so only disabling the trigger
-- can write them out of step with the content (decision 0053).
ALTER TABLE transcripts ALTER COLUMN search_english DROP EXPRESSION;
ALTER TABLE transcripts ALTER COLUMN search_simple DROP EXPRESSION;

CREATE FUNCTION transcripts_search_vectors() RETURNS TRIGGER AS $$
DECLARE
    tenant tsvector := array_to_tsvector(ARRAY['tenant' || replace(NEW.user_id::text, '-', '')]);
BEGIN
    NEW.search_english := to_tsvector('english'::regconfig, NEW.content) || tenant;
    NEW.search_simple := to_tsvector('simple'::regconfig, NEW.content) || tenant;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_transcripts_search_vectors
    BEFORE INSERT OR UPDATE OF content, user_id, search_english, search_simple ON transcripts
    FOR EACH ROW EXECUTE FUNCTION transcripts_search_vectors();

ALTER TABLE transcripts ENABLE ALWAYS TRIGGER trg_transcripts_search_vectors;
