-- Full-text search over transcripts (decision 0051): two generated tsvectors, English stemming
-- ("prices" finds "pricing") and the simple configuration (every word as written: names, product
-- codes, other languages, and stop words inside an exact phrase). Two columns rather than one
-- concatenated vector, so that a phrase can never match across the seam between the two. A GIN
-- index on each; the tenant's rows are narrowed by idx_transcripts_user_id.
ALTER TABLE transcripts
    ADD COLUMN search_english tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content)) STORED,
    ADD COLUMN search_simple tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, content)) STORED;
CREATE INDEX idx_transcripts_search_english ON transcripts USING GIN (search_english);
CREATE INDEX idx_transcripts_search_simple ON transcripts USING GIN (search_simple);
