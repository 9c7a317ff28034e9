-- A checkout paid after its account was closed (the owner closed it while Stripe's payment page was
-- open, or Stripe retried the event for hours) is not credited to the closed account: its payment
-- is refunded through Stripe's API. The intent is recorded in the transaction that handles the
-- payment (refund_for_closure_at); the refund is asked for after that transaction, with an
-- idempotency key of the session, and its id recorded (refund_for_closure_id). A refund Stripe did
-- not take is asked for again by a job until it is.

ALTER TABLE stripe_checkout_sessions
    ADD COLUMN refund_for_closure_at TIMESTAMPTZ,
    ADD COLUMN refund_for_closure_id TEXT;

CREATE INDEX idx_stripe_checkout_sessions_refunds_for_closure_due ON stripe_checkout_sessions (refund_for_closure_at)
    WHERE refund_for_closure_at IS NOT NULL AND refund_for_closure_id IS NULL;
