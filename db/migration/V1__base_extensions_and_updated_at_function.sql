-- Base of the schema: the extension for gen_random_uuid() (built in from PostgreSQL 13, kept
-- for clarity) and the shared trigger function that stamps updated_at on every UPDATE.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
