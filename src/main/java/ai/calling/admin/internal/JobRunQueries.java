package ai.calling.admin.internal;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.admin.MaintenanceJobs.JobRun;

/** SQL of the maintenance jobs: their record in job_runs and the database functions they run. */
@Repository
public class JobRunQueries {

    private final JdbcClient jdbc;

    JobRunQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that a run started; returns its id. */
    public UUID started(String job, String trigger) {
        return jdbc.sql("INSERT INTO job_runs (job_name, trigger) VALUES (:name, :trigger) RETURNING id")
                .param("name", job).param("trigger", trigger).query(UUID.class).single();
    }

    public void finished(UUID runId, long millis, String outcome, String detail) {
        jdbc.sql("UPDATE job_runs SET duration_ms = :ms, outcome = :outcome, detail = :detail WHERE id = :id")
                .param("ms", millis).param("outcome", outcome).param("detail", detail).param("id", runId).update();
    }

    /** When the job last started, if ever. */
    public Optional<OffsetDateTime> lastStarted(String job) {
        return jdbc.sql("SELECT max(started_at) FROM job_runs WHERE job_name = :name").param("name", job)
                .query(OffsetDateTime.class).optional();
    }

    /** When the job's last successful run started, if one did. */
    public Optional<OffsetDateTime> lastSucceededStart(String job) {
        return jdbc.sql("SELECT max(started_at) FROM job_runs WHERE job_name = :name AND outcome = 'succeeded'")
                .param("name", job).query(OffsetDateTime.class).optional();
    }

    /** The account days that analytics trigger failures logged since then name, in account and day order. */
    public List<AnalyticsDay> analyticsDaysToRepair(OffsetDateTime since) {
        return jdbc.sql("SELECT user_id, day FROM analytics_days_to_repair(:since)").param("since", since)
                .query((rs, n) -> new AnalyticsDay(rs.getObject("user_id", UUID.class), rs.getObject("day", LocalDate.class)))
                .list();
    }

    public record AnalyticsDay(UUID userId, LocalDate day) {
    }

    /** The accounts with calls in the week or the month containing the day. */
    public List<UUID> callAnalyticsAccounts(LocalDate day) {
        return jdbc.sql("SELECT call_analytics_accounts(:day)").param("day", day).query(UUID.class).list();
    }

    public Optional<JobRun> latest(String job) {
        return jdbc.sql("""
                SELECT job_name, trigger, started_at, duration_ms, outcome, detail FROM job_runs
                 WHERE job_name = :name ORDER BY started_at DESC LIMIT 1""")
                .param("name", job)
                .query((rs, n) -> new JobRun(rs.getString("job_name"), rs.getString("trigger"),
                        rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        (Long) rs.getObject("duration_ms"), rs.getString("outcome"), rs.getString("detail")))
                .optional();
    }

    /**
     * Runs one of the schema's maintenance functions (a name from the job table in code, never from a
     * request) with its arguments, in a transaction of its own unless the caller has one; returns its
     * result as text, empty for none.
     */
    public String runFunction(String function, Object... arguments) {
        if (!function.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a function name: " + function);
        }
        String sql = "SELECT " + function + "(" + String.join(", ", Collections.nCopies(arguments.length, "?")) + ")::text";
        String result = jdbc.sql(sql).params(arguments).query(String.class).single();
        return result == null ? "" : result;
    }
}
