package ai.calling.billing.internal;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** credit_low_alerts: the accounts told that their credits fell below the low-credit threshold. */
@Repository
public class LowCreditAlerts {

    private final JdbcClient jdbc;

    LowCreditAlerts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the alert; false when the account was told already (and not credited back above the threshold since),
     * or is being told by a transaction in flight. Never waits: an inbound call's hold raises it before its batch
     * locks balances, a dial after locking its balance, and an insert waiting for another's uncommitted row of the
     * same account could close a cycle with those locks; the transaction-scoped advisory lock (key space 44) is
     * tried instead, and whoever holds it tells the account.
     */
    public boolean raise(UUID userId) {
        boolean first = Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(CAST(:user AS text), 44))")
                .param("user", userId).query(Boolean.class).single());
        return first && jdbc.sql("INSERT INTO credit_low_alerts (user_id) VALUES (:user) ON CONFLICT (user_id) DO NOTHING")
                .param("user", userId).update() == 1;
    }

    /** The account was credited back to the threshold: its next fall below it is told again. */
    public void clear(UUID userId) {
        jdbc.sql("DELETE FROM credit_low_alerts WHERE user_id = :user").param("user", userId).update();
    }
}
