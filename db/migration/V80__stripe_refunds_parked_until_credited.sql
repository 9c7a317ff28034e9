-- A charge.refunded event whose payment is not credited yet (its checkout.session.completed is still being
-- retried by Stripe) is kept with its charge, and applied when the payment is credited: acknowledged and
-- dropped, the refund was lost and the late purchase credited in full.
ALTER TABLE stripe_events ADD COLUMN payment_intent_id VARCHAR(255), ADD COLUMN parked_charge JSONB;
CREATE INDEX idx_stripe_events_parked_refunds ON stripe_events (payment_intent_id) WHERE parked_charge IS NOT NULL;
