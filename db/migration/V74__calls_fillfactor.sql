-- A call's row is updated several times after its insert (dial confirmed, ringing, answered, ended,
-- transcript and recording attached). An update that changes no indexed column is HOT (no index
-- entry written) only when the row's page has room for the new version; with the default fillfactor
-- of 100 the pages are full, so every such update wrote all of the table's indexes. 80 leaves room
-- for the in-call updates of the rows of a page. Applies to pages written from now on.
ALTER TABLE calls SET (fillfactor = 80);
