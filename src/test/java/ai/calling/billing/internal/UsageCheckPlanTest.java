package ai.calling.billing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.TestDatabase;

/**
 * The settlement's check for calls already debited ({@link CreditLedgerRepository#usageCalls}) reads the
 * ledger by call however it has grown since the statement was first planned on the connection. Planned
 * while credit_transactions had no statistics, PostgreSQL judged {@code type = 'usage'} the more selective
 * condition and, with an index on the type column, kept a plan that read every usage row of the ledger
 * (V76 replaced that index). A database of its own, one connection (statements are prepared per
 * connection), 20,000 usage rows added between the first checks and the measured one, nothing analysing
 * the table meanwhile.
 */
class UsageCheckPlanTest {

    static final int GROWTH = 20_000;

    @Test
    void theCheckReadsTheLedgerByCallAfterItGrewUnderAPlanMadeWhileItWasEmpty() {
        TestDatabase.get().onOneMigratedConnection("usage_check_plan", connection -> {
            JdbcTemplate jdbc = new JdbcTemplate(connection);
            // an ANALYZE after the growth would replan the statement and hide what is tested
            jdbc.execute("ALTER TABLE credit_transactions SET (autovacuum_enabled = off)");
            CreditLedgerRepository ledger = new CreditLedgerRepository(JdbcClient.create(connection));
            for (int i = 0; i < 12; i++) {
                assertThat(ledger.usageCalls(unknownCalls())).isEmpty();
            }
            UUID user = UUID.randomUUID();
            UUID agent = UUID.randomUUID();
            jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, 'Plan')", user, user + "@plan.test");
            jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, 'bolna-plan', 'Agent')",
                    agent, user);
            jdbc.update("""
                    INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number)
                    SELECT ?, ?, 'grown-' || g, '+14155550100' FROM generate_series(1, ?) g""", user, agent, GROWTH);
            jdbc.update("""
                    INSERT INTO credit_transactions (user_id, type, amount, balance_after, description, call_id)
                    SELECT user_id, 'usage', -1, -row_number() OVER (ORDER BY id), 'Call', id
                      FROM calls WHERE user_id = ?""", user);
            UUID debited = jdbc.queryForObject("SELECT id FROM calls WHERE bolna_execution_id = 'grown-7'", UUID.class);

            List<UUID> asked = new ArrayList<>(unknownCalls());
            asked.add(debited);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            Check check = transactions.execute(status -> {
                long before = ledgerRowsFetchedByIndex(jdbc);
                Set<UUID> found = ledger.usageCalls(asked);
                return new Check(found, ledgerRowsFetchedByIndex(jdbc) - before);
            });

            assertThat(check.found()).containsExactly(debited);
            assertThat(check.rowsFetchedByIndex()).as("ledger rows fetched for one check of %d calls", asked.size())
                    .isLessThan(100);
        });
    }

    private static List<UUID> unknownCalls() {
        List<UUID> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(UUID.randomUUID());
        }
        return calls;
    }

    /** Rows of credit_transactions fetched through its indexes by this transaction so far (pg_stat_xact_*: its own counts). */
    private static long ledgerRowsFetchedByIndex(JdbcTemplate jdbc) {
        return jdbc.queryForObject(
                "SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'credit_transactions'",
                Long.class);
    }

    private record Check(Set<UUID> found, long rowsFetchedByIndex) {
    }
}
