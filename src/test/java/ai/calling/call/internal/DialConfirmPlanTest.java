package ai.calling.call.internal;

import static ai.calling.call.internal.CallsGrowingUnderACachedPlan.sequentialScansOfCalls;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.call.internal.CallsGrowingUnderACachedPlan.Owner;
import ai.calling.support.TestDatabase;
import tools.jackson.databind.json.JsonMapper;

/**
 * Confirming a dial looks its call up by id however the table has grown since the statement was first
 * prepared on the connection. A fresh database's first dials find calls nearly empty; after five runs
 * PostgreSQL may keep a generic plan made then (a scan of the whole table is cheapest for a few rows),
 * and with no ANALYZE to replan it (autovacuum off, as on the CI's server) every later dial scanned
 * every call. A database of its own (the suite's is shared and already holds calls), one connection
 * (statements are prepared per connection), the table grown by 20,000 calls between the first dials and
 * the measured one.
 */
class DialConfirmPlanTest {

    @Test
    void aConfirmationReadsItsCallByIdAfterTheTableGrewUnderAPlanCachedWhileItWasSmall() {
        TestDatabase.get().onOneMigratedConnection("dial_confirm_plan", connection -> {
            JdbcTemplate jdbc = new JdbcTemplate(connection);
            Owner owner = CallsGrowingUnderACachedPlan.prepare(jdbc);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            CallDials dials = new CallDials(JdbcClient.create(connection), jdbc, JsonMapper.builder().build());
            for (int i = 0; i < 12; i++) {
                dialAndConfirm(transactions, jdbc, dials, owner);
            }
            CallsGrowingUnderACachedPlan.grow(jdbc, owner);

            Confirmation last = dialAndConfirm(transactions, jdbc, dials, owner);

            assertThat(last.confirmed()).isTrue();
            assertThat(last.sequentialScansOfCalls()).isZero();
        });
    }

    private static Confirmation dialAndConfirm(TransactionTemplate transactions, JdbcTemplate jdbc, CallDials dials,
            Owner owner) {
        return transactions.execute(status -> {
            UUID call = UUID.randomUUID();
            dials.insert(owner.user(), owner.agent(), List.of(new CallDials.NewDial(call, "+14155550101", null, null, Map.of(), null,
                    null, null)));
            long before = sequentialScansOfCalls(jdbc);
            Set<UUID> confirmed = dials.confirm(Map.of(call, "execution-" + call), false);
            return new Confirmation(confirmed.contains(call), sequentialScansOfCalls(jdbc) - before);
        });
    }

    private record Confirmation(boolean confirmed, long sequentialScansOfCalls) {
    }
}
