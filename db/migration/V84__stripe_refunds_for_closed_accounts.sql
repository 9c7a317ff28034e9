-- A checkout paid after its account was closed (the owner closed it while Stripe's payment page was
-- open, or Stripe retried the event for hours) is not credited to the closed account: its payment
-- is refunded through Stripe's API. The intent is recorded in the transaction that handles the
-- payment (refund_for_closure_at); the refund is asked for after that transaction and its id
-- recorded (refund_for_closure_id). An ask Stripe did not take is counted (attempts, last error) and
-- asked again from next_at on, with a growing pause, until a limit where it is left to a person.

ALTER TABLE stripe_checkout_sessions
    ADD COLUMN refund_for_closure_at TIMESTAMPTZ,
    ADD COLUMN refund_for_closure_id TEXT,
    ADD COLUMN refund_for_closure_attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN refund_for_closure_error TEXT,
    ADD COLUMN refund_for_closure_next_at TIMESTAMPTZ;

CREATE INDEX idx_stripe_checkout_sessions_refunds_for_closure_due
    ON stripe_checkout_sessions (refund_for_closure_next_at)
    WHERE refund_for_closure_at IS NOT NULL AND refund_for_closure_id IS NULL;
