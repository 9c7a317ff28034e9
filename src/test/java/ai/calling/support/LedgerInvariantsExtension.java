package ai.calling.support;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The money invariants, asserted after every test of every {@link IntegrationTest} class over the
 * whole database: each account's credits equal the sum of its ledger rows, each row's balance_after
 * chains from the previous one, and no credit hold outlives its call.
 */
public class LedgerInvariantsExtension implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        assertConsistent(new JdbcTemplate(SpringExtension.getApplicationContext(context).getBean(DataSource.class)));
    }

    public static void assertConsistent(JdbcTemplate jdbc) {
        assertThat(jdbc.queryForList("""
                SELECT u.id FROM users u
                  JOIN (SELECT user_id, sum(amount) AS total FROM credit_transactions GROUP BY user_id) t
                    ON t.user_id = u.id
                 WHERE u.credits <> t.total""", String.class))
                .as("accounts whose credits differ from the sum of their ledger").isEmpty();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT balance_after, amount,
                                             lag(balance_after) OVER (PARTITION BY user_id ORDER BY seq) AS previous
                                        FROM credit_transactions) chained
                 WHERE balance_after <> COALESCE(previous, 0) + amount""", Long.class))
                .as("ledger rows whose balance_after does not chain").isZero();
        assertThat(jdbc.queryForList("""
                SELECT h.call_id FROM credit_holds h JOIN calls c ON c.id = h.call_id
                 WHERE c.status <> 'in_progress'""", String.class))
                .as("credit holds of calls that have ended").isEmpty();
    }
}
