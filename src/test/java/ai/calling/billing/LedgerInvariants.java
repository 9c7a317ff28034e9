package ai.calling.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** The ledger's invariant: credits equal the sum of the history, and balance_after chains in seq order. */
final class LedgerInvariants {

    private LedgerInvariants() {
    }

    static void assertHold(JdbcTemplate jdbc, UUID userId) {
        Integer credits = jdbc.queryForObject("SELECT credits FROM users WHERE id = ?", Integer.class, userId);
        Integer sum = jdbc.queryForObject("SELECT COALESCE(sum(amount), 0)::int FROM credit_transactions WHERE user_id = ?",
                Integer.class, userId);
        Long broken = jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT balance_after, amount,
                                             lag(balance_after) OVER (ORDER BY seq) AS previous
                                        FROM credit_transactions WHERE user_id = ?) chained
                 WHERE balance_after <> COALESCE(previous, 0) + amount""", Long.class, userId);
        assertThat(credits).as("credits equal the sum of the transactions").isEqualTo(sum);
        assertThat(broken).as("balance_after chains").isZero();
        assertThat(jdbc.queryForList("SELECT inconsistent_records FROM validate_user_data_consistency() "
                + "WHERE check_name LIKE 'credits_%'", Long.class)).containsOnly(0L);
    }
}
