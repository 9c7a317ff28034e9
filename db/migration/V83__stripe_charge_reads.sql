-- Which read of Stripe's API a purchase's refunds were last settled from. A refund that fails
-- (charge.refund.updated, refund.failed) or a dispute won gives credits back: every refund or dispute
-- event settles the purchase to what Stripe holds when the event is handled, read before the
-- transaction. Two events of one purchase can read at different moments and commit in the other
-- order; each read takes a number from this sequence before it asks Stripe (one counter for every
-- instance, where their clocks may disagree), and a read numbered before the one applied is not
-- applied over it. NULL: not settled from a read yet (refunds applied before this migration).

CREATE SEQUENCE stripe_charge_reads;

ALTER TABLE stripe_checkout_sessions ADD COLUMN refunds_read BIGINT;
