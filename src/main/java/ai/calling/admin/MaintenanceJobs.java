package ai.calling.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import ai.calling.analytics.AgentTargetsService;
import ai.calling.common.ApiException;
import ai.calling.config.SystemSettings;

/**
 * The database's maintenance functions as named jobs. Every run (scheduled or started by an admin)
 * is recorded in job_runs with its duration and outcome; a failed run is logged and simply runs
 * again at the next tick. The scheduler (with ShedLock) lives in {@code internal}.
 */
@Service
public class MaintenanceJobs {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceJobs.class);

    private final JdbcClient jdbc;
    private final SystemSettings settings;
    private final Clock clock;
    private final Map<String, Supplier<String>> jobs = new LinkedHashMap<>();

    MaintenanceJobs(JdbcClient jdbc, SystemSettings settings, AgentTargetsService trends, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        jobs.put("refresh_user_kpi_summary", () -> call("SELECT scheduled_refresh_user_kpi_summary()::text"));
        jobs.put("cleanup_expired_sessions", () -> "deleted " + call("SELECT cleanup_expired_sessions()::text"));
        jobs.put("cleanup_old_login_attempts", () -> "deleted " + call("SELECT cleanup_old_login_attempts()::text"));
        jobs.put("cleanup_old_password_reset_attempts",
                () -> "deleted " + call("SELECT cleanup_old_password_reset_attempts()::text"));
        jobs.put("cleanup_expired_dashboard_cache",
                () -> "deleted " + call("SELECT cleanup_expired_dashboard_cache()::text"));
        jobs.put("cleanup_trigger_error_log", () -> "deleted " + call("SELECT cleanup_trigger_error_log()::text"));
        jobs.put("cleanup_expired_idempotency_keys",
                () -> "deleted " + call("SELECT cleanup_expired_idempotency_keys()::text"));
        jobs.put("cleanup_expired_auth_tokens", () -> "deleted " + call("SELECT cleanup_expired_auth_tokens()::text"));
        jobs.put("cleanup_bolna_webhook_events", () -> "deleted " + jdbc.sql(
                "SELECT cleanup_bolna_webhook_events(:days)::text").param("days",
                settings.intValue(SystemSettings.WEBHOOK_EVENT_RETENTION_DAYS, 90)).query(String.class).single());
        jobs.put("agent_performance_trends", () -> "rows " + trends.computeWeeklyTrends(
                LocalDate.now(clock.withZone(ZoneOffset.UTC))));
        jobs.put("batch_calculate_call_analytics", () -> "rows " + jdbc.sql(
                "SELECT batch_calculate_call_analytics(:day)::text").param("day",
                LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1)).query(String.class).single());
    }

    public List<String> names() {
        return List.copyOf(jobs.keySet());
    }

    /** Runs a job now and records the run; failures are recorded, logged and not thrown. */
    public JobRun run(String name, String trigger) {
        Supplier<String> job = jobs.get(name);
        if (job == null) {
            throw ApiException.notFound("The job " + name);
        }
        UUID runId = jdbc.sql("INSERT INTO job_runs (job_name, trigger) VALUES (:name, :trigger) RETURNING id")
                .param("name", name).param("trigger", trigger).query(UUID.class).single();
        long started = System.nanoTime();
        String outcome = "succeeded";
        String detail;
        try {
            detail = job.get();
        } catch (RuntimeException e) {
            outcome = "failed";
            detail = e.getMessage();
            log.warn("Job {} failed; it runs again at its next tick: {}", name, e.getMessage());
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        jdbc.sql("UPDATE job_runs SET duration_ms = :ms, outcome = :outcome, detail = :detail WHERE id = :id")
                .param("ms", millis).param("outcome", outcome).param("detail", detail).param("id", runId).update();
        return latest(name);
    }

    /** The KPI view is refreshed every kpi_refresh_interval_minutes (read at each tick, so edits apply at once). */
    public boolean kpiRefreshDue() {
        Duration interval = Duration.ofMinutes(Math.max(1, settings.intValue(SystemSettings.KPI_REFRESH_INTERVAL_MINUTES, 5)));
        return jdbc.sql("SELECT max(started_at) FROM job_runs WHERE job_name = 'refresh_user_kpi_summary'")
                .query(OffsetDateTime.class).optional()
                .map(last -> !last.toInstant().plus(interval).isAfter(Instant.now(clock).plusSeconds(5)))
                .orElse(true);
    }

    /** The latest run of every job (or none yet). */
    public List<JobRun> status() {
        return names().stream().map(this::latest).toList();
    }

    private JobRun latest(String name) {
        return jdbc.sql("""
                SELECT job_name, trigger, started_at, duration_ms, outcome, detail FROM job_runs
                 WHERE job_name = :name ORDER BY started_at DESC LIMIT 1""")
                .param("name", name)
                .query((rs, n) -> new JobRun(rs.getString("job_name"), rs.getString("trigger"),
                        rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        (Long) rs.getObject("duration_ms"), rs.getString("outcome"), rs.getString("detail")))
                .optional().orElse(new JobRun(name, null, null, null, "never_run", null));
    }

    private String call(String sql) {
        String result = jdbc.sql(sql).query(String.class).single();
        return result == null ? "" : result;
    }

    public record JobRun(String name, String trigger, Instant startedAt, Long durationMs, String outcome, String detail) {
    }
}
