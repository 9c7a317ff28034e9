-- Stripe bookkeeping: every checkout session we created (what it is worth comes from here, never
-- from the event), and every verified webhook event id, so a redelivery changes nothing.

CREATE TABLE stripe_checkout_sessions (
    session_id        VARCHAR(255) PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    package_id        VARCHAR(50) NOT NULL,
    credits           INTEGER NOT NULL,
    amount_cents      BIGINT NOT NULL,
    currency          VARCHAR(3) NOT NULL,
    payment_intent_id VARCHAR(255),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    credited_at       TIMESTAMPTZ,
    CONSTRAINT stripe_checkout_sessions_credits_check CHECK (credits > 0 AND amount_cents > 0)
);
CREATE INDEX idx_stripe_checkout_sessions_user ON stripe_checkout_sessions (user_id, created_at);
CREATE INDEX idx_stripe_checkout_sessions_payment_intent ON stripe_checkout_sessions (payment_intent_id)
    WHERE payment_intent_id IS NOT NULL;

CREATE TABLE stripe_events (
    event_id    VARCHAR(255) PRIMARY KEY,
    type        VARCHAR(100) NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    outcome     TEXT
);
