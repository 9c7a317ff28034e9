-- Bolna's account concurrency, shared by every tenant: BOLNA_MAX_CONCURRENT_CALLS slots, one row
-- each. A dial takes a free slot (FOR UPDATE SKIP LOCKED, so dialling instances never wait on each
-- other) in the transaction that records it; the call's end frees it; a call that goes takes its
-- slot's claim with it (ON DELETE SET NULL). The application keeps the rows 1..N in place at start.

CREATE TABLE call_slots (
    slot     INTEGER PRIMARY KEY,
    call_id  UUID UNIQUE REFERENCES calls (id) ON DELETE SET NULL,
    taken_at TIMESTAMPTZ,
    CONSTRAINT call_slots_slot_check CHECK (slot > 0)
);
