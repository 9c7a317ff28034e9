package ai.calling.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.IntegrationTest;

/**
 * Claiming a batch looks its events up by id alone, however many events were applied since the last
 * vacuum: each applied event leaves a dead 'received' entry in the index on (state, received_at), and a
 * claim that went through that index read all of them (milliseconds per batch, growing with the load).
 * Measured in a transaction that is rolled back: thousands of events received and applied, a batch of 20 waiting,
 * the table analysed as autovacuum would.
 */
@IntegrationTest
class WebhookClaimPlanTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aClaimReadsItsEventsByIdAndNotTheEventsAppliedBeforeIt() {
        String plan = transactions.execute(status -> {
            status.setRollbackOnly();
            jdbc.update("""
                    INSERT INTO bolna_webhook_events (execution_id, bolna_agent_id, status, payload)
                    SELECT 'plan-' || g, 'bolna-plan', 'ringing', '{"id":"x"}'::jsonb FROM generate_series(1, 5000) g""");
            jdbc.update("UPDATE bolna_webhook_events SET state = 'processed' WHERE execution_id LIKE 'plan-%'");
            List<UUID> waiting = jdbc.queryForList("""
                    INSERT INTO bolna_webhook_events (execution_id, bolna_agent_id, status, payload)
                    SELECT 'plan-waiting-' || g, 'bolna-plan', 'ringing', '{"id":"plan-waiting"}'::jsonb
                      FROM generate_series(1, 20) g RETURNING id""", UUID.class);
            jdbc.execute("ANALYZE bolna_webhook_events");
            return String.join("\n", jdbc.queryForList("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + WebhookEvents.CLAIM,
                    String.class, waiting.toArray(UUID[]::new), false));
        });

        assertThat(plan).contains("bolna_webhook_events_pkey").doesNotContain("idx_bolna_webhook_events_state")
                .contains("Update on bolna_webhook_events (actual time").contains("rows=20 loops=1");
    }
}
