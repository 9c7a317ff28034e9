package ai.calling.webhook.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** bolna_webhook_events: every delivery as received, and what became of it. */
@Repository
public class WebhookEvents {

    private final JdbcClient jdbc;

    WebhookEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the events and marks them processed, returning their payloads in the order received: one
     * round trip. Processing runs in the same transaction, so if it fails the marks roll back with it
     * (and the failure is then recorded by {@link #markFailed}). Leaves out events another worker holds
     * and (unless {@code anyState}) those already processed or ignored.
     */
    public List<Claimed> claimAsProcessed(List<UUID> eventIds, boolean anyState) {
        return jdbc.sql(CLAIM).param(eventIds.toArray(UUID[]::new)).param(anyState)
                .query((rs, n) -> new Claimed(rs.getObject("id", UUID.class), rs.getString("execution_id"),
                        rs.getString("payload"), rs.getObject("received_at", OffsetDateTime.class)))
                .list().stream().sorted(Comparator.comparing(Claimed::receivedAt)).toList();
    }

    /**
     * The claim: each event is looked up (and locked) by its id alone, in a LATERAL subquery that the
     * planner cannot flatten. Written as {@code id = ANY(?) AND state IN (...)}, the planner combined the
     * primary key with the index on (state, received_at) and read every 'received' entry of it, dead
     * ones included (each applied event leaves one until vacuum): a claim then cost milliseconds that grew
     * with the backlog and with the events applied since the last vacuum.
     */
    static final String CLAIM = """
            UPDATE bolna_webhook_events SET state = 'processed', attempts = attempts + 1,
                   processed_at = CURRENT_TIMESTAMP, last_error = NULL, next_attempt_at = NULL
             WHERE id IN (SELECT e.id FROM unnest(?) AS v(id),
                                 LATERAL (SELECT id FROM bolna_webhook_events WHERE id = v.id
                                             AND (? OR state IN ('received', 'failed')) FOR UPDATE SKIP LOCKED) e)
            RETURNING id, execution_id, payload::text, received_at""";

    /** A claimed event, as stored. */
    public record Claimed(UUID id, String executionId, String payload, OffsetDateTime receivedAt) {
    }

    /** Events received but still unprocessed after {@code seconds} (their worker died or was full). */
    public List<UUID> stale(int seconds, int limit) {
        return jdbc.sql("SELECT id FROM bolna_webhook_events WHERE state = 'received'"
                + " AND received_at < CURRENT_TIMESTAMP - make_interval(secs => :seconds)"
                + " ORDER BY received_at LIMIT :limit")
                .param("seconds", seconds).param("limit", limit).query(UUID.class).list();
    }

    /**
     * Received, unprocessed events that arrived before {@code before}, oldest first, after the position
     * {@code (afterReceivedAt, afterId)} (null: from the start): the backlog, read in pages.
     */
    public List<Backlogged> backlog(OffsetDateTime before, OffsetDateTime afterReceivedAt, UUID afterId, int limit) {
        return jdbc.sql("""
                SELECT id, received_at FROM bolna_webhook_events
                 WHERE state = 'received' AND received_at < :before
                   AND (CAST(:afterAt AS timestamptz) IS NULL OR (received_at, id) > (:afterAt, :afterId))
                 ORDER BY received_at, id LIMIT :limit""")
                .param("before", before).param("afterAt", afterReceivedAt).param("afterId", afterId)
                .param("limit", limit)
                .query((rs, n) -> new Backlogged(rs.getObject("id", UUID.class),
                        rs.getObject("received_at", OffsetDateTime.class)))
                .list();
    }

    /** An event of the backlog and its place in it. */
    public record Backlogged(UUID id, OffsetDateTime receivedAt) {
    }

    public boolean exists(UUID eventId) {
        return jdbc.sql("SELECT count(*) FROM bolna_webhook_events WHERE id = :id").param("id", eventId)
                .query(Long.class).single() > 0;
    }

    /** Events already claimed as processed that turned out to concern no agent of ours. */
    public void markIgnored(List<UUID> eventIds) {
        if (!eventIds.isEmpty()) {
            jdbc.sql("UPDATE bolna_webhook_events SET state = 'ignored' WHERE id = ANY(?)")
                    .param(eventIds.toArray(UUID[]::new)).update();
        }
    }

    /**
     * Records a failed attempt; retries back off 1, 2, 4 ... minutes, and stop after {@code maxAttempts}. Not
     * over an event applied meanwhile (unless {@code anyState}, a replay): the failed attempt rolled back its
     * claim, and another processor, the sweep or another instance may have claimed and applied it since; marked
     * failed, it was applied again on its retry, an old event over the call's later ones.
     */
    public void markFailed(UUID eventId, String error, int maxAttempts, boolean anyState) {
        jdbc.sql("""
                UPDATE bolna_webhook_events SET state = 'failed', attempts = attempts + 1, last_error = :error,
                       next_attempt_at = CASE WHEN attempts + 1 >= :max THEN NULL
                                              ELSE CURRENT_TIMESTAMP + make_interval(mins => power(2, attempts)::int) END
                 WHERE id = :id AND (:anyState OR state IN ('received', 'failed'))""")
                .param("id", eventId).param("error", error).param("max", maxAttempts).param("anyState", anyState)
                .update();
    }

    /** Failed events due for another attempt, oldest first, claimed against other instances. */
    public List<UUID> dueForRetry(int limit) {
        return jdbc.sql("""
                SELECT id FROM bolna_webhook_events
                 WHERE state = 'failed' AND next_attempt_at <= CURRENT_TIMESTAMP
                 ORDER BY next_attempt_at LIMIT :limit""")
                .param("limit", limit).query(UUID.class).list();
    }

    public long count(String state) {
        return jdbc.sql("SELECT count(*) FROM bolna_webhook_events WHERE (CAST(:state AS text) IS NULL OR state = :state)")
                .param("state", state).query(Long.class).single();
    }

    public List<EventRow> page(String state, int limit, long offset) {
        return jdbc.sql("""
                SELECT id, execution_id, bolna_agent_id, status, source, state, attempts, last_error, next_attempt_at,
                       received_at, processed_at
                  FROM bolna_webhook_events WHERE (CAST(:state AS text) IS NULL OR state = :state)
                 ORDER BY received_at DESC, id LIMIT :limit OFFSET :offset""")
                .param("state", state).param("limit", limit).param("offset", offset)
                .query((rs, n) -> new EventRow(rs.getObject("id", UUID.class), rs.getString("execution_id"),
                        rs.getString("bolna_agent_id"), rs.getString("status"), rs.getString("source"),
                        rs.getString("state"), rs.getInt("attempts"), rs.getString("last_error"),
                        instant(rs.getObject("next_attempt_at", OffsetDateTime.class)),
                        instant(rs.getObject("received_at", OffsetDateTime.class)),
                        instant(rs.getObject("processed_at", OffsetDateTime.class))))
                .list();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    public record EventRow(UUID id, String executionId, String bolnaAgentId, String status, String source, String state,
            int attempts, String lastError, Instant nextAttemptAt, Instant receivedAt, Instant processedAt) {
    }
}
