package ai.calling.call.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.TestDatabase;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook batch writes its calls by id however the table has grown since the statement was first prepared on
 * the connection: a plan cached while calls was nearly empty joins the batch's arrays to a scan of the whole table,
 * and with no ANALYZE to replan it (autovacuum off, as on the CI's server) every later batch scanned every call.
 * As {@link DialConfirmPlanTest}: a database of its own, one connection, the table grown by 20,000 calls between
 * the first writes and the measured one.
 */
class CallProgressPlanTest {

    @Test
    void aBatchWritesItsCallsByIdAfterTheTableGrewUnderAPlanCachedWhileItWasSmall() {
        TestDatabase.get().onOneMigratedConnection("call_progress_plan", connection -> {
            JdbcTemplate jdbc = new JdbcTemplate(connection);
            jdbc.execute("ALTER TABLE calls SET (autovacuum_enabled = off)");
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            CallProgressWriter writer = new CallProgressWriter(JdbcClient.create(connection), JsonMapper.builder().build());
            UUID user = UUID.randomUUID();
            UUID agent = UUID.randomUUID();
            jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, 'Plan')", user, user + "@plan.test");
            jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, 'bolna-plan', 'Agent')",
                    agent, user);
            for (int i = 0; i < 12; i++) {
                ring(transactions, jdbc, writer, user, agent);
            }
            // calls in progress: a statement ending 20,000 calls would update one analytics row 20,000 times
            jdbc.update("""
                    INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number)
                    SELECT ?, ?, 'grown-' || g, '+14155550100' FROM generate_series(1, 20000) g""", user, agent);

            assertThat(ring(transactions, jdbc, writer, user, agent)).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE call_lifecycle_status = 'ringing'",
                    Long.class)).isEqualTo(13);
        });
    }

    /** Writes one call as ringing; returns the sequential scans of calls the write made. */
    private static long ring(TransactionTemplate transactions, JdbcTemplate jdbc, CallProgressWriter writer, UUID user,
            UUID agent) {
        return transactions.execute(status -> {
            UUID id = UUID.randomUUID();
            String execution = "execution-" + id;
            jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number) "
                    + "VALUES (?, ?, ?, ?, '+14155550101')", id, user, agent, execution);
            Call call = new Call(user, agent, execution, "+14155550101");
            ReflectionTestUtils.setField(call, "id", id);
            call.setCallLifecycleStatus("ringing");
            long before = sequentialScansOfCalls(jdbc);
            writer.write(List.of(call));
            return sequentialScansOfCalls(jdbc) - before;
        });
    }

    /** This transaction's sequential scans of calls so far (pg_stat_xact_*: the current transaction's counts). */
    private static long sequentialScansOfCalls(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'calls'", Long.class);
    }
}
