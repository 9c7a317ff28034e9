package ai.calling.call.internal;

import java.util.Collection;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Transaction-scoped advisory locks that serialise the updates of one Bolna execution: whoever
 * writes a call bound to an execution takes its lock first (key space 42).
 */
@Repository
public class ExecutionLocks {

    private final JdbcClient jdbc;

    ExecutionLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks these executions in one statement; callers pass them in a fixed order so two batches cannot deadlock. */
    public void lockAll(Collection<String> executionIds) {
        jdbc.sql("SELECT count(pg_advisory_xact_lock(hashtextextended(id, 42))) FROM unnest(?) AS id")
                .param(executionIds.toArray(String[]::new)).query().singleValue();
    }

    /** Locks the execution of this call, when it has one; returns the execution locked (null: the call had none). */
    public String lockExecutionOf(UUID callId) {
        return jdbc.sql("SELECT bolna_execution_id, pg_advisory_xact_lock(hashtextextended(bolna_execution_id, 42)) "
                + "FROM calls WHERE id = :id AND bolna_execution_id IS NOT NULL").param("id", callId)
                .query((rs, n) -> rs.getString(1)).optional().orElse(null);
    }
}
