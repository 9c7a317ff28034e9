-- Full-text search over transcripts (decision 0051): two generated tsvectors, English stemming
-- ("prices" finds "pricing") and the simple configuration (every word as written: names, product
-- codes, other languages, and stop words inside an exact phrase). Two columns rather than one
-- concatenated vector, so that a phrase can never match across the seam between the two. Each also
-- carries one position-less lexeme naming the tenant ('tenant' + the user id's hex digits): a
-- search ANDs it into its query, so the GIN index itself narrows to the tenant's transcripts (GIN
-- skips through the long posting lists of common words using the tenant's short one) instead of
-- intersecting whole posting lists with the user_id index. The WHERE clause still filters on
-- user_id: the lexeme only speeds the search up, tenancy does not rest on it.
ALTER TABLE transcripts
    ADD COLUMN search_english tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, content)
        || array_to_tsvector(ARRAY['tenant' || replace(user_id::text, '-', '')])) STORED,
    ADD COLUMN search_simple tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, content)
        || array_to_tsvector(ARRAY['tenant' || replace(user_id::text, '-', '')])) STORED;
CREATE INDEX idx_transcripts_search_english ON transcripts USING GIN (search_english);
CREATE INDEX idx_transcripts_search_simple ON transcripts USING GIN (search_simple);
