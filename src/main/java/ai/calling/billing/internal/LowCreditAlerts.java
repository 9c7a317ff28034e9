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

    /** Records the alert; false when the account was told already (and not credited back above the threshold since). */
    public boolean raise(UUID userId) {
        return jdbc.sql("INSERT INTO credit_low_alerts (user_id) VALUES (:user) ON CONFLICT (user_id) DO NOTHING")
                .param("user", userId).update() == 1;
    }

    /** The account was credited back to the threshold: its next fall below it is told again. */
    public void clear(UUID userId) {
        jdbc.sql("DELETE FROM credit_low_alerts WHERE user_id = :user").param("user", userId).update();
    }
}
