package ai.calling.admin.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ai.calling.admin.MaintenanceJobs;

/**
 * When the maintenance jobs run. Each tick holds a ShedLock lock, so with several instances a job
 * runs once per tick. Cron expressions are configurable under {@code app.jobs.*}.
 */
@Component
@ConditionalOnProperty(name = "app.jobs.enabled", havingValue = "true", matchIfMissing = true)
class MaintenanceSchedule {

    private final MaintenanceJobs jobs;

    MaintenanceSchedule(MaintenanceJobs jobs) {
        this.jobs = jobs;
    }

    /** Every minute it checks kpi_refresh_interval_minutes, so a change applies without a restart. */
    @Scheduled(cron = "${app.jobs.kpi-refresh-check:0 * * * * *}")
    @SchedulerLock(name = "refresh_user_kpi_summary", lockAtMostFor = "PT10M", lockAtLeastFor = "${app.jobs.lock-at-least:PT30S}")
    void refreshKpis() {
        if (jobs.kpiRefreshDue()) {
            jobs.run("refresh_user_kpi_summary", "schedule");
        }
    }

    @Scheduled(cron = "${app.jobs.daily:0 15 3 * * *}", zone = "UTC")
    @SchedulerLock(name = "daily_maintenance", lockAtMostFor = "PT1H", lockAtLeastFor = "${app.jobs.lock-at-least:PT30S}")
    void daily() {
        jobs.run("cleanup_expired_sessions", "schedule");
        jobs.run("cleanup_trigger_error_log", "schedule");
        jobs.run("cleanup_bolna_webhook_events", "schedule");
        jobs.run("cleanup_expired_auth_tokens", "schedule");
        jobs.run("batch_calculate_call_analytics", "schedule");
        jobs.run("agent_performance_trends", "schedule");
    }

    @Scheduled(cron = "${app.jobs.weekly:0 30 3 * * SUN}", zone = "UTC")
    @SchedulerLock(name = "weekly_maintenance", lockAtMostFor = "PT1H", lockAtLeastFor = "${app.jobs.lock-at-least:PT30S}")
    void weekly() {
        jobs.run("cleanup_old_login_attempts", "schedule");
        jobs.run("cleanup_old_password_reset_attempts", "schedule");
    }

    @Scheduled(cron = "${app.jobs.hourly:0 5 * * * *}", zone = "UTC")
    @SchedulerLock(name = "hourly_maintenance", lockAtMostFor = "PT30M", lockAtLeastFor = "${app.jobs.lock-at-least:PT30S}")
    void hourly() {
        jobs.run("cleanup_expired_dashboard_cache", "schedule");
        jobs.run("cleanup_expired_idempotency_keys", "schedule");
        jobs.run("repair_analytics_days", "schedule");
    }
}
