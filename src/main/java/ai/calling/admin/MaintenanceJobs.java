package ai.calling.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

import ai.calling.admin.internal.JobRunQueries;
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
    /** How long trigger_error_log keeps a failure (cleanup_trigger_error_log's default). */
    private static final int TRIGGER_ERROR_LOG_DAYS = 7;
    /** How far before its last successful start the repair reads the log again (it is idempotent). */
    private static final Duration LOG_MARGIN = Duration.ofHours(1);

    private final JobRunQueries runs;
    private final SystemSettings settings;
    private final Clock clock;
    private final Map<String, Supplier<String>> jobs = new LinkedHashMap<>();

    MaintenanceJobs(JobRunQueries runs, SystemSettings settings, AgentTargetsService trends, Clock clock) {
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
        jobs.put("refresh_user_kpi_summary", () -> runs.runFunction("scheduled_refresh_user_kpi_summary"));
        jobs.put("cleanup_expired_sessions", () -> "deleted " + runs.runFunction("cleanup_expired_sessions"));
        jobs.put("cleanup_old_login_attempts", () -> "deleted " + runs.runFunction("cleanup_old_login_attempts"));
        jobs.put("cleanup_old_password_reset_attempts",
                () -> "deleted " + runs.runFunction("cleanup_old_password_reset_attempts"));
        jobs.put("cleanup_expired_dashboard_cache",
                () -> "deleted " + runs.runFunction("cleanup_expired_dashboard_cache"));
        jobs.put("cleanup_trigger_error_log", () -> "deleted " + runs.runFunction("cleanup_trigger_error_log"));
        jobs.put("cleanup_expired_idempotency_keys",
                () -> "deleted " + runs.runFunction("cleanup_expired_idempotency_keys"));
        jobs.put("cleanup_expired_auth_tokens", () -> "deleted " + runs.runFunction("cleanup_expired_auth_tokens"));
        jobs.put("cleanup_bolna_webhook_events", () -> "deleted " + runs.runFunction("cleanup_bolna_webhook_events",
                settings.intValue(SystemSettings.WEBHOOK_EVENT_RETENTION_DAYS, 90)));
        jobs.put("agent_performance_trends", () -> "rows " + trends.computeWeeklyTrends(
                LocalDate.now(clock.withZone(ZoneOffset.UTC))));
        jobs.put("repair_analytics_days", this::repairAnalyticsDays);
        jobs.put("batch_calculate_call_analytics", this::recalculateCallAnalytics);
    }

    /**
     * Recomputes each account day that an analytics trigger failure names, logged since the last successful
     * run started (at most the log's seven days), each day in a transaction of its own. A day that fails
     * fails the run, so the next run reads from the same point and tries it again.
     */
    private String repairAnalyticsDays() {
        OffsetDateTime weekAgo = OffsetDateTime.now(clock).minusDays(TRIGGER_ERROR_LOG_DAYS);
        // a failure is logged at its transaction's start time and may commit after a run has read the log
        OffsetDateTime since = runs.lastSucceededStart("repair_analytics_days").map(start -> start.minus(LOG_MARGIN))
                .filter(weekAgo::isBefore).orElse(weekAgo);
        return eachInItsOwnTransaction("days", runs.analyticsDaysToRepair(since),
                day -> runs.runFunction("repair_analytics_day", day.userId(), day.day()));
    }

    /**
     * call_analytics_cache's rows of yesterday's day, week and month recomputed from the calls and analyses,
     * one account per transaction (under its analytics lock, decision 0054).
     */
    private String recalculateCallAnalytics() {
        LocalDate yesterday = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
        return eachInItsOwnTransaction("accounts", runs.callAnalyticsAccounts(yesterday),
                account -> runs.runFunction("recalculate_call_analytics", account, yesterday));
    }

    /** Runs the work for each item in its own transaction; any that failed fail the run, after the others ran. */
    private static <T> String eachInItsOwnTransaction(String what, List<T> items, Consumer<T> work) {
        int done = 0;
        List<String> failed = new ArrayList<>();
        for (T item : items) {
            try {
                work.accept(item);
                done++;
            } catch (DataAccessException e) {
                failed.add(item + ": " + e.getMostSpecificCause().getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(what + " " + done + ", failed " + failed.size() + " (first: " + failed.getFirst() + ")");
        }
        return what + " " + done;
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
        UUID runId = runs.started(name, trigger);
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
        runs.finished(runId, millis, outcome, detail);
        return latest(name);
    }

    /** The KPI view is refreshed every kpi_refresh_interval_minutes (read at each tick, so edits apply at once). */
    public boolean kpiRefreshDue() {
        Duration interval = Duration.ofMinutes(Math.max(1, settings.intValue(SystemSettings.KPI_REFRESH_INTERVAL_MINUTES, 5)));
        return runs.lastStarted("refresh_user_kpi_summary").map(last -> !last.toInstant().plus(interval).isAfter(Instant.now(clock).plusSeconds(5)))
                .orElse(true);
    }

    /** The latest run of every job (or none yet). */
    public List<JobRun> status() {
        return names().stream().map(this::latest).toList();
    }

    private JobRun latest(String name) {
        return runs.latest(name).orElse(new JobRun(name, null, null, null, "never_run", null));
    }

    public record JobRun(String name, String trigger, Instant startedAt, Long durationMs, String outcome, String detail) {
    }
}
