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
 * Claiming and failing events. Claiming a batch looks its events up by id alone, however many events were applied since the last
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

    @Autowired
    WebhookEvents events;

    /**
     * A failed attempt rolls its claim back and is recorded after: by then another processor (or the sweep,
     * or another instance) may have applied the event, which then stays applied, not failed and retried.
     */
    @Test
    void aFailureRecordedAfterTheEventWasAppliedElsewhereLeavesItApplied() {
        UUID applied = jdbc.queryForObject("""
                INSERT INTO bolna_webhook_events (execution_id, bolna_agent_id, status, payload, state)
                VALUES ('failed-late-1', 'bolna-plan', 'ringing', '{"id":"failed-late-1"}'::jsonb, 'processed')
                RETURNING id""", UUID.class);
        UUID waiting = jdbc.queryForObject("""
                INSERT INTO bolna_webhook_events (execution_id, bolna_agent_id, status, payload)
                VALUES ('failed-late-2', 'bolna-plan', 'ringing', '{"id":"failed-late-2"}'::jsonb) RETURNING id""",
                UUID.class);

        events.markFailed(applied, "lost a race", 8, false);
        events.markFailed(waiting, "bad payload", 8, false);

        assertThat(jdbc.queryForObject("SELECT state FROM bolna_webhook_events WHERE id = ?", String.class, applied))
                .isEqualTo("processed");
        assertThat(jdbc.queryForMap("SELECT state, last_error FROM bolna_webhook_events WHERE id = ?", waiting))
                .containsEntry("state", "failed").containsEntry("last_error", "bad payload");
        events.markFailed(applied, "replayed and failed", 8, true);
        assertThat(jdbc.queryForObject("SELECT state FROM bolna_webhook_events WHERE id = ?", String.class, applied))
                .as("a replay's failure is recorded whatever the state").isEqualTo("failed");
    }

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
