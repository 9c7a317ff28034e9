package ai.calling.call.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

import ai.calling.call.CallDtos.CallPosition;
import ai.calling.call.CallDtos.UnboundDial;
import ai.calling.call.CallDtos.UnfinishedCall;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outcome of a recorded dial, written after Bolna answered (or did not). Each statement only
 * moves a dial forward, so it cannot undo what a webhook that arrived first has written.
 */
@Repository
public class CallDials {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final JsonMapper json;

    CallDials(JdbcClient jdbc, JdbcTemplate batches, JsonMapper json) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.json = json;
    }

    /** A dial to write before it is sent: status in_progress, dial_status dialing, no execution id yet. */
    public record NewDial(UUID callId, String phoneNumber, UUID contactId, String callerName,
            Map<String, Object> userData, UUID campaignId, UUID campaignRecipientId, UUID createdBy) {
    }

    /** Writes the calls of dials about to be sent, in one batch. */
    public void insert(UUID userId, UUID agentId, List<NewDial> dials) {
        batches.batchUpdate("""
                INSERT INTO calls (id, user_id, agent_id, phone_number, contact_id, caller_name, lead_type, call_source,
                                   dial_status, metadata, campaign_id, campaign_recipient_id, created_by)
                VALUES (?, ?, ?, ?, ?, ?, 'outbound', 'phone', 'dialing', CAST(? AS jsonb), ?, ?, ?)""", dials, dials.size(),
                (ps, dial) -> {
                    ps.setObject(1, dial.callId());
                    ps.setObject(2, userId);
                    ps.setObject(3, agentId);
                    ps.setString(4, dial.phoneNumber());
                    ps.setObject(5, dial.contactId());
                    ps.setString(6, dial.callerName());
                    ps.setString(7, json.writeValueAsString(Map.of("user_data",
                            dial.userData() == null ? Map.of() : dial.userData())));
                    ps.setObject(8, dial.campaignId());
                    ps.setObject(9, dial.campaignRecipientId());
                    ps.setObject(10, dial.createdBy());
                });
    }

    /**
     * Bolna placed these calls: each execution id is bound (unless a webhook bound it first) and the
     * dial confirmed. Returns the calls confirmed. A call is left out when another call already has
     * that execution id (a webhook without our attempt id created it), and, unless {@code wait}, when a
     * webhook is applying an event to it right now (its row is locked: that webhook binds and confirms
     * it; waiting for several rows could deadlock with its batch, waiting for one cannot). Runs in the
     * caller's transaction, which its plan setting lasts for.
     */
    public Set<UUID> confirm(Map<UUID, String> executionIds, boolean wait) {
        if (executionIds.isEmpty()) {
            return Set.of();
        }
        List<UUID> ids = List.copyOf(executionIds.keySet());
        Assert.state(TransactionSynchronizationManager.isActualTransactionActive(),
                "Dials are confirmed in the caller's transaction");
        String lock = wait ? "FOR UPDATE" : "FOR UPDATE SKIP LOCKED";
        // one generic plan per connection, and one that reads calls by its indexes whatever the table held when
        // it was made. Left to itself, PostgreSQL planned this statement again on every dial (its generic plan's
        // estimate for the arrays looks dearer than a custom plan's: 0.34 ms of planning a dial, measured with
        // pg_stat_statements); and a generic plan made while calls was small (a fresh database) scanned the whole
        // table on every dial until an ANALYZE replanned it (never where autovacuum is off; DialConfirmPlanTest).
        // Both settings last until this transaction ends (its other statements read calls by id too).
        jdbc.sql("SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true)")
                .query().singleRow();
        return new HashSet<>(jdbc.sql("""
                UPDATE calls c SET bolna_execution_id = COALESCE(c.bolna_execution_id, v.execution),
                                   dial_status = 'confirmed'
                  FROM unnest(:ids, :executions) AS v(id, execution)
                 WHERE c.id = v.id
                   AND c.id IN (SELECT id FROM calls WHERE id = ANY(:ids) ORDER BY id %s)
                   AND NOT EXISTS (SELECT 1 FROM calls other WHERE other.bolna_execution_id = v.execution
                                                             AND other.id <> c.id)
                RETURNING c.id""".formatted(lock))
                .param("ids", ids.toArray(UUID[]::new))
                .param("executions", ids.stream().map(executionIds::get).toArray(String[]::new))
                .query(UUID.class).list());
    }

    /**
     * Bolna's answer was lost for these calls: they may or may not have been placed. Calls a webhook
     * is applying an event to right now are left to it (it binds them).
     */
    public void markUnconfirmed(Collection<UUID> callIds) {
        if (!callIds.isEmpty()) {
            jdbc.sql("""
                    UPDATE calls SET dial_status = 'unconfirmed'
                     WHERE id IN (SELECT id FROM calls WHERE id = ANY(:ids) AND dial_status = 'dialing'
                                   ORDER BY id FOR UPDATE SKIP LOCKED)""")
                    .param("ids", callIds.toArray(UUID[]::new)).update();
        }
    }

    /** Bolna certainly did not place these calls: the records go, and their credit holds and slots with them. */
    public void forget(List<UUID> callIds) {
        if (!callIds.isEmpty()) {
            jdbc.sql("DELETE FROM calls WHERE id = ANY(:ids) AND bolna_execution_id IS NULL")
                    .param("ids", callIds.toArray(UUID[]::new)).update();
        }
    }

    /** Which of these calls exist (a recorded dial that Bolna refused is deleted, {@link #forget}). */
    public Set<UUID> existing(Collection<UUID> callIds) {
        if (callIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT id FROM calls WHERE id = ANY(:ids)")
                .param("ids", callIds.toArray(UUID[]::new)).query(UUID.class).list());
    }

    /** Bound calls still in progress that started before {@code before}, oldest first, after {@code after}. */
    public List<UnfinishedCall> unfinished(Instant before, CallPosition after, int limit) {
        return walk(jdbc.sql("""
                SELECT id, bolna_execution_id, created_at, call_lifecycle_status FROM calls
                 WHERE status = 'in_progress' AND bolna_execution_id IS NOT NULL AND created_at < :before
                   AND (CAST(:afterAt AS timestamptz) IS NULL OR (created_at, id) > (:afterAt, :afterId))
                 ORDER BY created_at, id LIMIT :limit"""), before, after, limit)
                .query((rs, n) -> new UnfinishedCall(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4))).list();
    }

    /** Recorded dials still without an execution id that started before {@code before}, oldest first, after {@code after}. */
    public List<UnboundDial> unbound(Instant before, CallPosition after, int limit) {
        return walk(jdbc.sql("""
                SELECT id, user_id, agent_id, created_at FROM calls
                 WHERE bolna_execution_id IS NULL AND status = 'in_progress' AND created_at < :before
                   AND (CAST(:afterAt AS timestamptz) IS NULL OR (created_at, id) > (:afterAt, :afterId))
                 ORDER BY created_at, id LIMIT :limit"""), before, after, limit)
                .query((rs, n) -> new UnboundDial(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("agent_id", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Binds a walk's page: calls created before {@code before}, after the position {@code after} (null: the oldest). */
    private static JdbcClient.StatementSpec walk(JdbcClient.StatementSpec page, Instant before, CallPosition after,
            int limit) {
        return page.param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC))
                .param("afterAt", after == null ? null : OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC))
                .param("afterId", after == null ? null : after.callId()).param("limit", limit);
    }
}
