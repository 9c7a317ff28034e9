package ai.calling.lead.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    /**
     * Queues the call's analysis (again); false when it could not be: it is queued already or running (its
     * result comes with the prompt it read).
     */
    public boolean enqueue(UUID userId, UUID callId) {
        return enqueueAll(List.of(userId), List.of(callId)) == 1;
    }

    /** The state of the call's analysis job, if it has one. */
    public Optional<String> state(UUID callId) {
        return jdbc.sql("SELECT state FROM lead_analysis_jobs WHERE call_id = :call").param("call", callId)
                .query(String.class).optional();
    }

    /**
     * Queues the analyses of ended calls (same order as their accounts), in one statement; one already queued or
     * running is left as it is (a call's end applied twice). Returns how many were queued.
     */
    public int enqueueAll(List<UUID> userIds, List<UUID> callIds) {
        if (callIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                INSERT INTO lead_analysis_jobs (user_id, call_id)
                SELECT DISTINCT ON (v.call) v.usr, v.call FROM unnest(:users, :calls) AS v(usr, call)
                ON CONFLICT (call_id) DO UPDATE SET state = 'queued', attempts = 0, last_error = NULL, claim = NULL,
                    next_attempt_at = CURRENT_TIMESTAMP
                 WHERE lead_analysis_jobs.state IN ('done', 'failed')""")
                .param("users", userIds.toArray(UUID[]::new)).param("calls", callIds.toArray(UUID[]::new)).update();
    }

    /** Claims due jobs for this worker (running, each under a new claim), skipping those another instance holds. */
    public List<Job> claim(int limit) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = 'running', attempts = attempts + 1, claim = gen_random_uuid()
                 WHERE id IN (SELECT id FROM lead_analysis_jobs
                               WHERE state = 'queued' AND next_attempt_at <= CURRENT_TIMESTAMP
                               ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id, user_id, call_id, attempts, claim""")
                .param("limit", limit)
                .query((rs, n) -> new Job(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("call_id", UUID.class), rs.getInt("attempts"), rs.getObject("claim", UUID.class)))
                .list();
    }

    /**
     * The job is done, if its claim is still the current one (the row locked until the transaction ends, so that
     * an account closure failing it waits for this transaction); false when it is no longer this claimer's.
     */
    public boolean done(Job job) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = 'done', last_error = NULL
                 WHERE id = :id AND state = 'running' AND claim = :claim""")
                .param("id", job.id()).param("claim", job.claim()).update() == 1;
    }

    /** Back to the queue, due after the delay (the attempt already counted), if its claim is still the current one. */
    public boolean retryLater(Job job, String reason, Duration delay) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = 'queued', last_error = :reason, claim = NULL,
                       next_attempt_at = CURRENT_TIMESTAMP + make_interval(secs => :seconds)
                 WHERE id = :id AND state = 'running' AND claim = :claim""")
                .param("id", job.id()).param("claim", job.claim()).param("reason", reason)
                .param("seconds", delay.toMillis() / 1000.0).update() == 1;
    }

    /**
     * These jobs failed for good, each with its reason (same order), in one statement; those whose claim is no
     * longer current are left as they are. Returns the calls of those failed.
     */
    public List<UUID> failedAll(List<Job> failed, List<String> reasons) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs j SET state = 'failed', last_error = v.reason
                  FROM unnest(:ids, :claims, :reasons) AS v(id, claim, reason)
                 WHERE j.id = v.id AND j.state = 'running' AND j.claim = v.claim
                RETURNING j.call_id""")
                .param("ids", failed.stream().map(Job::id).toArray(UUID[]::new))
                .param("claims", failed.stream().map(Job::claim).toArray(UUID[]::new))
                .param("reasons", reasons.toArray(String[]::new)).query(UUID.class).list();
    }

    /**
     * Claimed jobs that were not begun go back to the queue, due now, their claim's attempt not counted, if their
     * claim is still the current one. Returns how many.
     */
    public int putBack(List<Job> jobs) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs j SET state = 'queued', attempts = j.attempts - 1, claim = NULL,
                                                next_attempt_at = CURRENT_TIMESTAMP
                  FROM unnest(:ids, :claims) AS v(id, claim)
                 WHERE j.id = v.id AND j.claim = v.claim AND j.state = 'running'""")
                .param("ids", jobs.stream().map(Job::id).toArray(UUID[]::new))
                .param("claims", jobs.stream().map(Job::claim).toArray(UUID[]::new)).update();
    }

    /**
     * Fails the queued and running jobs of a closed account, before its lead data is erased: a running job's
     * results are then dropped, and one writing them now is waited for (its row is locked) so that the erasure
     * comes after. Returns how many.
     */
    public int failOfClosedAccount(UUID userId) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = 'failed', last_error = 'The account was closed', claim = NULL
                 WHERE user_id = :user AND state IN ('queued', 'running')""")
                .param("user", userId).update();
    }

    /**
     * Jobs claimed more than {@code olderThan} ago and never finished (their worker stopped: a killed or
     * redeployed instance) go back to the queue, due now, or fail when they have had {@code maxTries}
     * attempts. Returns them, with the state each was given.
     */
    public List<Abandoned> requeueAbandoned(Duration olderThan, int maxTries) {
        return jdbc.sql("""
                UPDATE lead_analysis_jobs SET state = CASE WHEN attempts >= :max THEN 'failed' ELSE 'queued' END,
                       last_error = 'Abandoned: the worker running it stopped', next_attempt_at = CURRENT_TIMESTAMP,
                       claim = NULL
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

    /** A claimed job: {@code claim} tells this claim from any later one of the same job. */
    public record Job(UUID id, UUID userId, UUID callId, int attempts, UUID claim) {
    }
}
