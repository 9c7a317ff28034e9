-- idx_transcripts_analysis_status (V2) is dropped: no query filters transcripts by their analysis status
-- (the lead analysis queue is lead_analysis_jobs), and an indexed column makes every status update a
-- non-HOT update, which writes a new entry into each index of the row: into the two GIN search indexes
-- (V72) that is every lexeme of the transcript again. The lead analysis sets the status at least twice per
-- call. Measured on a 200 KB transcript (6,400 lexemes per vector), buffers per status update (EXPLAIN
-- (ANALYZE, BUFFERS)): 82 with the index on a fresh database (550 on one with longer GIN pending lists), 6
-- without, the update then being HOT (SchemaTranscriptSearchVectorsTest).
DROP INDEX idx_transcripts_analysis_status;
