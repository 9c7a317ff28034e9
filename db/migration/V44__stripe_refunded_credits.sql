-- How many of a purchase's credits its refunds have taken back so far: each charge.refunded event
-- takes back the refunded share of the purchase minus this, so partial refunds delivered in any
-- order, or twice, never take back more than the refunded share, nor more than the purchase.
-- (Refund rows written before this column existed are not linked to their purchase; no purchase had
-- been refunded in production then.)

ALTER TABLE stripe_checkout_sessions ADD COLUMN credits_refunded INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT stripe_checkout_sessions_credits_refunded_check
        CHECK (credits_refunded >= 0 AND credits_refunded <= credits);
