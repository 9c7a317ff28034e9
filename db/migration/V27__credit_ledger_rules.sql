-- The credit ledger's rules, owned by the database:
-- * credit_transactions is append-only: UPDATE and DELETE are refused (deleting a user still
--   cascades to its rows: that delete arrives from the foreign key's own trigger, one level down);
-- * seq numbers the rows in the order their movements took the user's row lock, i.e. commit order
--   per user, so balance_after can be checked to chain;
-- * one usage debit per call, one purchase per Stripe payment, one refund row per Stripe refund.

ALTER TABLE credit_transactions ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX idx_credit_transactions_user_seq ON credit_transactions (user_id, seq);

CREATE UNIQUE INDEX credit_transactions_usage_call_unique ON credit_transactions (call_id) WHERE type = 'usage';
CREATE UNIQUE INDEX credit_transactions_stripe_unique ON credit_transactions (type, stripe_payment_id)
    WHERE stripe_payment_id IS NOT NULL AND type IN ('purchase', 'refund');

CREATE FUNCTION refuse_credit_transaction_change() RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'credit_transactions is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_credit_transactions_append_only
    BEFORE UPDATE OR DELETE ON credit_transactions
    FOR EACH ROW EXECUTE FUNCTION refuse_credit_transaction_change();
