package ai.calling.lead.internal;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** lead_analysis_jobs: queue, claim, finish. */
@Repository
public class LeadAnalysisJobs {

    private final JdbcClient jdbc;

    LeadAnalysisJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void enqueue(UUID userId, UUID callId) {
        enqueueAll(List.of(userId), List.of(callId));
    }

    /** As {@link #enqueue} for each call (same order as its account), in one statement. */
    public void enqueueAll(List<UUID> userIds, List<UUID> callIds) {
        if (callIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO lead_analysis_jobs (user_id, call_id)
                SELECT DISTINCT ON (v.call) v.usr, v.call FROM unnest(:users, :calls) AS v(usr, call)
                ON CONFLICT (call_id) DO UPDATE SET state = 'queued', attempts = 0, last_error = NULL,
                    next_attempt_at = CURRENT_TIMESTAMP
                 WHERE lead_analysis_jobs.state IN ('done', 'failed')""")
                .param("users", userIds.toArray(UUID[]::new)).param("calls", callIds.toArray(UUID[]::new)).update();
    }

    /** Claims due jobs for this worker (running), skipping those another instance holds. */
    public List<Job> claim(int limit) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = 'running', attempts = attempts + 1
                 WHERE id IN (SELECT id FROM lead_analysis_jobs
                               WHERE state = 'queued' AND next_attempt_at <= CURRENT_TIMESTAMP
                               ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id, user_id, call_id, attempts""")
                .param("limit", limit)
                .query((rs, n) -> new Job(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("call_id", UUID.class), rs.getInt("attempts")))
                .list();
    }

    public void done(UUID jobId) {
        jdbc.sql("UPDATE lead_analysis_jobs SET state = 'done', last_error = NULL WHERE id = :id").param("id", jobId)
                .update();
    }

    /** Back to the queue, due after the delay (the attempt already counted). */
    public void retryLater(UUID jobId, String reason, Duration delay) {
        jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = 'queued', last_error = :reason,
                       next_attempt_at = CURRENT_TIMESTAMP + make_interval(secs => :seconds) WHERE id = :id""")
                .param("id", jobId).param("reason", reason).param("seconds", delay.toMillis() / 1000.0).update();
    }

    /** These jobs failed for good, each with its reason (same order), in one statement. */
    public void failedAll(List<UUID> jobIds, List<String> reasons) {
        jdbc.sql("""
                UPDATE lead_analysis_jobs j SET state = 'failed', last_error = v.reason
                  FROM unnest(:ids, :reasons) AS v(id, reason) WHERE j.id = v.id""")
                .param("ids", jobIds.toArray(UUID[]::new)).param("reasons", reasons.toArray(String[]::new)).update();
    }

    /**
     * Jobs claimed more than {@code olderThan} ago and never finished (their worker stopped: a killed or
     * redeployed instance) go back to the queue, due now, or fail when they have had {@code maxTries}
     * attempts. Returns them, with the state each was given.
     */
    public List<Abandoned> requeueAbandoned(Duration olderThan, int maxTries) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = CASE WHEN attempts >= :max THEN 'failed' ELSE 'queued' END,
                       last_error = 'Abandoned: the worker running it stopped', next_attempt_at = CURRENT_TIMESTAMP
                 WHERE id IN (SELECT id FROM lead_analysis_jobs
                               WHERE state = 'running' AND updated_at < CURRENT_TIMESTAMP - make_interval(secs => :seconds)
                               FOR UPDATE SKIP LOCKED)
                RETURNING call_id, state""")
                .param("max", maxTries).param("seconds", olderThan.toSeconds())
                .query((rs, n) -> new Abandoned(rs.getObject("call_id", UUID.class), rs.getString("state"))).list();
    }

    /** A job put back or failed by {@link #requeueAbandoned}: its call, and its new state. */
    public record Abandoned(UUID callId, String state) {
    }

    public String lastError(UUID callId) {
        return jdbc.sql("SELECT last_error FROM lead_analysis_jobs WHERE call_id = :call").param("call", callId)
                .query(String.class).optional().orElse(null);
    }

    public record Job(UUID id, UUID userId, UUID callId, int attempts) {
    }
}
