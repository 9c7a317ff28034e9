package ai.calling.billing.internal;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the ledger: the balance lives on users.credits, the history in credit_transactions. */
@Repository
public class CreditLedgerRepository {

    private final JdbcClient jdbc;

    CreditLedgerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Atomically adds {@code delta} (negative to spend) and returns the balance it left. */
    public int addToBalance(UUID userId, int delta) {
        return jdbc.sql("UPDATE users SET credits = credits + :delta WHERE id = :id RETURNING credits")
                .param("delta", delta).param("id", userId).query(Integer.class).single();
    }

    public void append(UUID userId, String type, int amount, int balanceAfter, String description,
            String stripePaymentId, UUID callId, UUID createdBy) {
        jdbc.sql("""
                INSERT INTO credit_transactions (user_id, type, amount, balance_after, description,
                                                 stripe_payment_id, call_id, created_by)
                VALUES (:user, :type, :amount, :balance, :description, :stripe, :call, :createdBy)""")
                .param("user", userId).param("type", type).param("amount", amount).param("balance", balanceAfter)
                .param("description", description).param("stripe", stripePaymentId).param("call", callId)
                .param("createdBy", createdBy).update();
    }
}
