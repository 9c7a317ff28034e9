-- An account whose integrations were told its available credits fell below the low-credit threshold,
-- until a credit (a purchase, a bonus, an admin's credit) takes them back to it: credits.low is sent
-- once per fall, not again each time a released hold lifts them above the threshold for a moment.
CREATE TABLE credit_low_alerts (
    user_id    UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    alerted_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
