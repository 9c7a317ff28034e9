-- The credit ledger: every movement of users.credits, with the balance it left behind.
-- balance_after may be negative: usage of a call that already happened is always recorded.

CREATE TABLE credit_transactions (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type              VARCHAR(20) NOT NULL,
    amount            INTEGER NOT NULL,
    balance_after     INTEGER NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    stripe_payment_id VARCHAR(255),
    call_id           UUID,
    created_by        UUID REFERENCES users (id),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT credit_transactions_type_check
        CHECK (type IN ('purchase', 'usage', 'bonus', 'admin_adjustment', 'refund')),
    -- a usage row can only name a call of the same user
    CONSTRAINT credit_transactions_call_same_user_fk FOREIGN KEY (call_id, user_id) REFERENCES calls (id, user_id)
);
CREATE INDEX idx_credit_transactions_user_id ON credit_transactions (user_id);
CREATE INDEX idx_credit_transactions_type ON credit_transactions (type);
CREATE INDEX idx_credit_transactions_created_at ON credit_transactions (created_at);
CREATE INDEX idx_credit_transactions_user_id_created_at ON credit_transactions (user_id, created_at);
CREATE INDEX idx_credit_transactions_stripe_payment_id ON credit_transactions (stripe_payment_id)
    WHERE stripe_payment_id IS NOT NULL;
CREATE INDEX idx_credit_transactions_call_id ON credit_transactions (call_id) WHERE call_id IS NOT NULL;
