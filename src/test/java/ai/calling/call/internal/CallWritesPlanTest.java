package ai.calling.call.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.TestDatabase;
import ai.calling.support.TestDatabase.ScratchDatabase;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch's write of its calls finds them by id however the table has grown since the statement was
 * first prepared on the connection (the same trap as DialConfirmPlanTest's: a generic plan made while calls
 * was nearly empty scans the whole table, and with no ANALYZE nothing replans it), and writes every column
 * it is given, nulls included.
 */
class CallWritesPlanTest {

    @Test
    void aBatchWritesItsCallsByIdAfterTheTableGrewUnderAPlanCachedWhileItWasSmall() {
        TestDatabase server = TestDatabase.get();
        try (ScratchDatabase database = server.scratchDatabase("call_writes_plan")) {
            Flyway.configure().dataSource(database.url(), server.username(), server.password()).load().migrate();
            String url = database.url() + (database.url().contains("?") ? "&" : "?") + "prepareThreshold=5";
            SingleConnectionDataSource connection = new SingleConnectionDataSource(url, server.username(),
                    server.password(), true);
            try {
                JdbcTemplate jdbc = new JdbcTemplate(connection);
                jdbc.execute("ALTER TABLE calls SET (autovacuum_enabled = off)");
                TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
                CallWrites writes = new CallWrites(JdbcClient.create(connection), JsonMapper.builder().build());
                UUID user = UUID.randomUUID();
                UUID agent = UUID.randomUUID();
                jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, 'Plan')", user, user + "@plan.test");
                jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, 'bolna-plan', 'Agent')",
                        agent, user);
                for (int i = 0; i < 12; i++) {
                    ringAndCount(transactions, jdbc, writes, user, agent);
                }
                jdbc.update("""
                        INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number)
                        SELECT ?, ?, 'grown-' || g, '+14155550100' FROM generate_series(1, 20000) g""", user, agent);

                UUID last = UUID.randomUUID();
                jdbc.update("INSERT INTO calls (id, user_id, agent_id, phone_number, dial_status, hangup_by) VALUES (?, ?, ?, ?, 'dialing', 'user')",
                        last, user, agent, "+14155550102");
                Instant ringing = Instant.parse("2026-11-27T06:00:00.123456Z");
                long scans = transactions.execute(status -> {
                    long before = sequentialScansOfCalls(jdbc);
                    writes.write(List.of(last), List.of(ringingColumns("execution-" + last, ringing)));
                    return sequentialScansOfCalls(jdbc) - before;
                });

                assertThat(scans).isZero();
                assertThat(jdbc.queryForMap("""
                        SELECT bolna_execution_id, dial_status, call_lifecycle_status, ringing_started_at, hangup_by,
                               hangup_provider_code, bolna_metadata::text AS metadata, status
                          FROM calls WHERE id = ?""", last))
                        .containsEntry("bolna_execution_id", "execution-" + last)
                        .containsEntry("dial_status", "confirmed")
                        .containsEntry("call_lifecycle_status", "ringing")
                        .containsEntry("ringing_started_at", java.sql.Timestamp.from(ringing))
                        .containsEntry("hangup_by", null)
                        .containsEntry("hangup_provider_code", 487)
                        .containsEntry("metadata", "{\"cost\": 1.5, \"provider\": \"twilio\"}")
                        .containsEntry("status", "in_progress");
            } finally {
                connection.destroy();
            }
        }
    }

    /** Inserts a call and writes it as ringing, in a transaction of its own. */
    private static void ringAndCount(TransactionTemplate transactions, JdbcTemplate jdbc, CallWrites writes, UUID user,
            UUID agent) {
        transactions.executeWithoutResult(status -> {
            UUID call = UUID.randomUUID();
            jdbc.update("INSERT INTO calls (id, user_id, agent_id, phone_number, dial_status) VALUES (?, ?, ?, '+14155550101', 'dialing')",
                    call, user, agent);
            writes.write(List.of(call), List.of(ringingColumns("execution-" + call, Instant.now())));
        });
    }

    private static Call.LifecycleColumns ringingColumns(String execution, Instant ringing) {
        return new Call.LifecycleColumns(null, execution, "confirmed", "ringing", ringing, null, null, null, null, 487,
                null, Map.of("cost", 1.5, "provider", "twilio"), "in_progress", null, 0, 0, 0, null);
    }

    /** This transaction's sequential scans of calls so far (pg_stat_xact_*: the current transaction's counts). */
    private static long sequentialScansOfCalls(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'calls'", Long.class);
    }
}
