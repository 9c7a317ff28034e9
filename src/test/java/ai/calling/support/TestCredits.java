package ai.calling.support;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** Sets an account's balance the way the ledger would: one adjustment row, credits and history agreeing. */
public final class TestCredits {

    private TestCredits() {
    }

    public static void setBalance(JdbcTemplate jdbc, UUID userId, int credits) {
        jdbc.update("""
                WITH locked AS (SELECT credits FROM users WHERE id = ? FOR UPDATE),
                     moved AS (UPDATE users SET credits = ? WHERE id = ? RETURNING credits)
                INSERT INTO credit_transactions (user_id, type, amount, balance_after, description)
                SELECT ?, 'admin_adjustment', moved.credits - locked.credits, moved.credits, 'test balance'
                  FROM locked, moved WHERE moved.credits <> locked.credits""", userId, credits, userId, userId);
    }
}
