package ai.calling.call.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.call.CallDtos.UnboundDial;
import ai.calling.call.CallDtos.UnfinishedCall;

/**
 * The outcome of a recorded dial, written after Bolna answered (or did not). Each statement only
 * moves a dial forward, so it cannot undo what a webhook that arrived first has written.
 */
@Repository
public class CallDials {

    private final JdbcClient jdbc;

    CallDials(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Bolna placed the call: its execution id is bound (unless a webhook bound it first). Returns false
     * when another call already has that execution id (a webhook without our attempt id created it):
     * this dial then stays unconfirmed and reconciliation settles it.
     */
    public boolean confirm(UUID callId, String executionId) {
        try {
            jdbc.sql("""
                    UPDATE calls SET bolna_execution_id = COALESCE(bolna_execution_id, :execution),
                                     dial_status = 'confirmed'
                     WHERE id = :id""").param("id", callId).param("execution", executionId).update();
            return true;
        } catch (DuplicateKeyException taken) {
            markUnconfirmed(callId);
            return false;
        }
    }

    /** Bolna's answer was lost: the call may or may not have been placed. */
    public void markUnconfirmed(UUID callId) {
        jdbc.sql("UPDATE calls SET dial_status = 'unconfirmed' WHERE id = :id AND dial_status = 'dialing'")
                .param("id", callId).update();
    }

    /** Bolna certainly did not place the call: the record goes, and its credit hold with it. */
    public void forget(UUID callId) {
        jdbc.sql("DELETE FROM calls WHERE id = :id AND bolna_execution_id IS NULL").param("id", callId).update();
    }

    /** Bound calls still in progress that started before {@code before}, oldest first. */
    public List<UnfinishedCall> unfinished(Instant before, int limit) {
        return jdbc.sql("""
                SELECT id, bolna_execution_id FROM calls
                 WHERE status = 'in_progress' AND bolna_execution_id IS NOT NULL AND created_at < :before
                 ORDER BY created_at LIMIT :limit""")
                .param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC)).param("limit", limit)
                .query((rs, n) -> new UnfinishedCall(rs.getObject(1, UUID.class), rs.getString(2))).list();
    }

    /** Recorded dials still without an execution id that started before {@code before}, oldest first. */
    public List<UnboundDial> unbound(Instant before, int limit) {
        return jdbc.sql("""
                SELECT id, user_id, agent_id, created_at FROM calls
                 WHERE bolna_execution_id IS NULL AND status = 'in_progress' AND created_at < :before
                 ORDER BY created_at LIMIT :limit""")
                .param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC)).param("limit", limit)
                .query((rs, n) -> new UnboundDial(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("agent_id", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }

}
