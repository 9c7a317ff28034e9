package ai.calling.call.internal;

import static ai.calling.call.internal.CallsGrowingUnderACachedPlan.sequentialScansOfCalls;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.call.internal.CallsGrowingUnderACachedPlan.Owner;
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
            Owner owner = CallsGrowingUnderACachedPlan.prepare(jdbc);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            CallProgressWriter writer = new CallProgressWriter(JdbcClient.create(connection), JsonMapper.builder().build());
            for (int i = 0; i < 12; i++) {
                ring(transactions, jdbc, writer, owner);
            }
            CallsGrowingUnderACachedPlan.grow(jdbc, owner);

            assertThat(ring(transactions, jdbc, writer, owner)).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE call_lifecycle_status = 'ringing'",
                    Long.class)).isEqualTo(13);
        });
    }

    /** Writes one call as ringing; returns the sequential scans of calls the write made. */
    private static long ring(TransactionTemplate transactions, JdbcTemplate jdbc, CallProgressWriter writer,
            Owner owner) {
        return transactions.execute(status -> {
            UUID id = UUID.randomUUID();
            String execution = "execution-" + id;
            jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number) "
                    + "VALUES (?, ?, ?, ?, '+14155550101')", id, owner.user(), owner.agent(), execution);
            Call call = new Call(owner.user(), owner.agent(), execution, "+14155550101");
            ReflectionTestUtils.setField(call, "id", id);
            call.setCallLifecycleStatus("ringing");
            long before = sequentialScansOfCalls(jdbc);
            writer.write(List.of(call));
            return sequentialScansOfCalls(jdbc) - before;
        });
    }
}
