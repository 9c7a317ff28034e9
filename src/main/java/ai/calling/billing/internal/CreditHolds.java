package ai.calling.billing.internal;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.billing.HoldTerms;

/**
 * SQL of credit_holds: one row per call in progress, holding the most that call can cost. Rows are
 * deleted when their call ends, so the table holds exactly the open holds.
 */
@Repository
public class CreditHolds {

    private final JdbcClient jdbc;

    CreditHolds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How many holds the user has open and how many credits they hold (read after the user's row is locked). */
    public Open open(UUID userId) {
        return jdbc.sql("SELECT count(*), COALESCE(sum(amount), 0) FROM credit_holds WHERE user_id = :user")
                .param("user", userId).query((rs, n) -> new Open(userId, rs.getInt(1), rs.getLong(2))).single();
    }

    public long held(UUID userId) {
        return jdbc.sql("SELECT COALESCE(sum(amount), 0) FROM credit_holds WHERE user_id = :user").param("user", userId)
                .query(Long.class).single();
    }

    public void insert(UUID userId, List<UUID> callIds, HoldTerms terms) {
        jdbc.sql("""
                INSERT INTO credit_holds (call_id, user_id, amount, credits_per_minute, max_call_duration_seconds)
                SELECT call, :user, :amount, :rate, :seconds FROM unnest(:calls) AS call""")
                .param("calls", callIds.toArray(UUID[]::new)).param("user", userId).param("amount", terms.amount())
                .param("rate", terms.creditsPerMinute()).param("seconds", terms.maxCallDurationSeconds()).update();
    }

    public List<Terms> of(Collection<UUID> callIds) {
        return jdbc.sql("""
                SELECT call_id, amount, credits_per_minute, max_call_duration_seconds FROM credit_holds
                 WHERE call_id = ANY(:calls)""")
                .param("calls", callIds.toArray(UUID[]::new))
                .query((rs, n) -> new Terms(rs.getObject(1, UUID.class), new HoldTerms(rs.getInt(2), rs.getInt(3),
                        rs.getInt(4))))
                .list();
    }

    /** Deletes these calls' holds (calls without one are ignored). */
    public void releaseAll(Collection<UUID> callIds) {
        jdbc.sql("DELETE FROM credit_holds WHERE call_id = ANY(:calls)").param("calls", callIds.toArray(UUID[]::new))
                .update();
    }

    /** Deletes the call's hold; true when there was one. */
    public boolean release(UUID callId) {
        return jdbc.sql("DELETE FROM credit_holds WHERE call_id = :call").param("call", callId).update() == 1;
    }

    /** Open holds per account, for these accounts (accounts without any are absent). */
    public List<Open> openByUser(Collection<UUID> userIds) {
        return jdbc.sql("""
                SELECT user_id, count(*), COALESCE(sum(amount), 0) FROM credit_holds WHERE user_id = ANY(:users)
                 GROUP BY user_id""")
                .param("users", userIds.toArray(UUID[]::new))
                .query((rs, n) -> new Open(rs.getObject(1, UUID.class), rs.getInt(2), rs.getLong(3))).list();
    }

    public record Open(UUID userId, int count, long held) {
    }

    public record Terms(UUID callId, HoldTerms terms) {
    }
}
