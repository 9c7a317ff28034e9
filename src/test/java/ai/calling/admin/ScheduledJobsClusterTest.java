package ai.calling.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.Application;
import ai.calling.support.TestDatabase;
import ai.calling.support.TestDatabaseInitializer;

/**
 * Two application instances on one database, both with the maintenance schedule on: ShedLock lets
 * exactly one of them run the job at each tick. Without the lock both would, and every tick would
 * show two runs.
 */
class ScheduledJobsClusterTest {

    static final String JOB = "cleanup_expired_dashboard_cache";

    @Test
    void twoInstancesRunEachScheduledJobOncePerTick() {
        try (ConfigurableApplicationContext first = instance(); ConfigurableApplicationContext second = instance()) {
            JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
            OffsetDateTime since = jdbc.queryForObject("SELECT now()", OffsetDateTime.class);

            Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ticks(jdbc, since).size() >= 4);

            List<Map<String, Object>> ticks = ticks(jdbc, since);
            assertThat(ticks).allSatisfy(tick -> assertThat(((Number) tick.get("runs")).intValue())
                    .as("runs at tick %s", tick.get("tick")).isOne());
            assertThat(second.isRunning()).isTrue();
        }
    }

    /** Runs of the job grouped by 3-second tick (the schedule below). */
    private static List<Map<String, Object>> ticks(JdbcTemplate jdbc, OffsetDateTime since) {
        return jdbc.queryForList("""
                SELECT floor(extract(epoch FROM started_at) / 3) AS tick, count(*) AS runs
                  FROM job_runs WHERE job_name = ? AND trigger = 'schedule' AND started_at >= ?
                 GROUP BY 1 ORDER BY 1""", JOB, since);
    }

    private static ConfigurableApplicationContext instance() {
        return new SpringApplicationBuilder(Application.class).initializers(new TestDatabaseInitializer())
                .run("--server.port=0", "--app.database.preflight=false", "--spring.docker.compose.enabled=false",
                        "--app.security.jwt-secret=" + TestDatabase.JWT_SECRET,
                        "--app.jobs.enabled=true", "--app.jobs.hourly=*/3 * * * * *", "--app.jobs.lock-at-least=PT1S",
                        // the other maintenance ticks stay out of the way
                        "--app.jobs.kpi-refresh-check=0 0 0 1 1 *", "--app.jobs.daily=0 0 0 1 1 *",
                        "--app.jobs.weekly=0 0 0 1 1 *", "--spring.datasource.hikari.maximum-pool-size=4",
                        "--spring.datasource.hikari.minimum-idle=1");
    }
}
