-- Credit holds: before a call is dialled, the most it can cost (its agent's hard limit in started
-- minutes times credits_per_minute) is held, in the same transaction that checks it is available.
-- A hold is not a ledger movement: users.credits stays the ledger sum, and available = credits - held.
-- When the call ends, its hold row is deleted and the real cost debited in the same transaction, so
-- only open holds exist here. One hold per call; a hold goes with its call.

CREATE TABLE credit_holds (
    call_id                   UUID PRIMARY KEY,
    user_id                   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount                    INTEGER NOT NULL,
    credits_per_minute        INTEGER NOT NULL,
    max_call_duration_seconds INTEGER NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT credit_holds_call_same_user_fk FOREIGN KEY (call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE CASCADE,
    CONSTRAINT credit_holds_amount_check CHECK (amount >= 0),
    CONSTRAINT credit_holds_credits_per_minute_check CHECK (credits_per_minute >= 0),
    CONSTRAINT credit_holds_max_call_duration_check CHECK (max_call_duration_seconds > 0)
);
CREATE INDEX idx_credit_holds_user ON credit_holds (user_id);
