-- trigger_generate_customer_reference: customers get a reference CUST-YYYY-NNNN (at least four
-- digits, longer past 9999) from a per-year counter. The counter row is taken with an UPSERT, which
-- locks it until the inserting transaction ends, so concurrent inserts get distinct numbers; a
-- rolled-back insert rolls its number back too, so committed references have no gaps in a year.
-- Unlike the analytics triggers this one does not swallow errors: a customer without a reference
-- must not be written.

CREATE TABLE customer_reference_counters (
    year       INTEGER PRIMARY KEY,
    last_value INTEGER NOT NULL,
    CONSTRAINT customer_reference_counters_value_check CHECK (last_value > 0)
);

CREATE FUNCTION generate_customer_reference() RETURNS TRIGGER AS $$
DECLARE
    ref_year INTEGER;
    next_value INTEGER;
BEGIN
    IF NEW.customer_reference_number IS NOT NULL THEN
        RETURN NEW;
    END IF;
    ref_year := EXTRACT(YEAR FROM COALESCE(NEW.created_at, CURRENT_TIMESTAMP) AT TIME ZONE 'UTC');
    INSERT INTO customer_reference_counters AS crc (year, last_value) VALUES (ref_year, 1)
    ON CONFLICT (year) DO UPDATE SET last_value = crc.last_value + 1
    RETURNING last_value INTO next_value;
    NEW.customer_reference_number := format('CUST-%s-%s', ref_year, lpad(next_value::text, 4, '0'));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_generate_customer_reference
    BEFORE INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION generate_customer_reference();
