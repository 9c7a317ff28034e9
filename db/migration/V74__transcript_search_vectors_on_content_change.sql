-- The transcript search vectors (V72) are computed when the content (or the tenant) is written, not on
-- every update of the row. PostgreSQL 15 recomputes a stored generated column on every UPDATE, whatever
-- it changes: setting a transcript's analysis_status (the lead analysis does it twice per call) parsed the
-- whole content into two tsvectors again: 4.6 ms for a 4.5 KB transcript, 173 ms for 200 KB (EXPLAIN
-- ANALYZE: 1,738 buffers for one status update), against 0.4 ms for the same update without them.
-- The columns keep their values (DROP EXPRESSION) and their indexes; a BEFORE trigger sets them on
-- INSERT and on an UPDATE that names content, user_id or either vector, always from the row's content,
-- so they cannot be written out of step with it (decision 0053).
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
