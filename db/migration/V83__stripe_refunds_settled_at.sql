-- When a purchase's refunds were last read from Stripe's API. A refund that fails (charge.refund.updated,
-- refund.failed) gives its credits back: every refund event settles the purchase to the refunds Stripe
-- holds when the event is handled, read before the transaction. Two events of one purchase can read at
-- different moments and commit in the other order; the read begun earlier is then not applied over the
-- later one (NULL: settled from events' payloads only, before this column or without the API key).

ALTER TABLE stripe_checkout_sessions ADD COLUMN refunds_settled_at TIMESTAMPTZ;
