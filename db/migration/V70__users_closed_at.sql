-- An account its owner closed: kept (the ledger and the call records refer to it) but inactive,
-- with its name and e-mail erased. closed_at tells a closure from an admin's deactivation, which
-- an admin may undo; a closure cannot be undone.
ALTER TABLE users ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE users ADD CONSTRAINT users_closed_inactive_check CHECK (closed_at IS NULL OR NOT is_active);
