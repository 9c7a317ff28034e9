package ai.calling.analytics.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.analytics.AnalyticsDtos.Trend;

/** SQL of the agent performance trends (agent_performance_trends): the weekly job's write, computed from the daily rollups, and the reads. */
@Repository
public class AgentTrendQueries {

    /**
     * Weekly trend per active agent: the last 7 UTC days against the 7 before, in percent, and the
     * agent's rank among its owner's agents by success rate.
     */
    static final String WEEKLY = """
            INSERT INTO agent_performance_trends (agent_id, user_id, period_start, period_end, period_type,
                calls_change_percent, success_rate_change_percent, conversion_rate_change_percent,
                avg_duration_change_percent, performance_rank, total_agents_count)
            SELECT agent_id, user_id, :today - 6, :today, 'weekly',
                   change(cur_calls, prev_calls), change(cur_success, prev_success), change(cur_conv, prev_conv),
                   change(cur_dur, prev_dur),
                   rank() OVER (PARTITION BY user_id ORDER BY cur_success DESC, cur_calls DESC, agent_id),
                   count(*) OVER (PARTITION BY user_id)
              FROM (SELECT a.id AS agent_id, a.user_id,
                           COALESCE(sum(aa.total_calls) FILTER (WHERE aa.date > :today - 7), 0) AS cur_calls,
                           COALESCE(sum(aa.total_calls) FILTER (WHERE aa.date <= :today - 7), 0) AS prev_calls,
                           COALESCE(percentage(sum(aa.successful_calls) FILTER (WHERE aa.date > :today - 7),
                                               sum(aa.total_calls) FILTER (WHERE aa.date > :today - 7)), 0) AS cur_success,
                           COALESCE(percentage(sum(aa.successful_calls) FILTER (WHERE aa.date <= :today - 7),
                                               sum(aa.total_calls) FILTER (WHERE aa.date <= :today - 7)), 0) AS prev_success,
                           COALESCE(percentage(sum(aa.qualified_leads) FILTER (WHERE aa.date > :today - 7),
                                               sum(aa.leads_generated) FILTER (WHERE aa.date > :today - 7)), 0) AS cur_conv,
                           COALESCE(percentage(sum(aa.qualified_leads) FILTER (WHERE aa.date <= :today - 7),
                                               sum(aa.leads_generated) FILTER (WHERE aa.date <= :today - 7)), 0) AS prev_conv,
                           COALESCE(sum(aa.total_duration_minutes) FILTER (WHERE aa.date > :today - 7), 0) AS cur_dur,
                           COALESCE(sum(aa.total_duration_minutes) FILTER (WHERE aa.date <= :today - 7), 0) AS prev_dur
                      FROM report_agents a
                      LEFT JOIN agent_analytics aa ON aa.agent_id = a.id AND aa.user_id = a.user_id AND aa.hour IS NULL
                           AND aa.date > :today - 14
                     WHERE a.is_active
                     GROUP BY a.id, a.user_id) w
            ON CONFLICT (agent_id, period_start, period_end, period_type) DO UPDATE SET
                calls_change_percent = EXCLUDED.calls_change_percent,
                success_rate_change_percent = EXCLUDED.success_rate_change_percent,
                conversion_rate_change_percent = EXCLUDED.conversion_rate_change_percent,
                avg_duration_change_percent = EXCLUDED.avg_duration_change_percent,
                performance_rank = EXCLUDED.performance_rank, total_agents_count = EXCLUDED.total_agents_count""";

    private final JdbcClient jdbc;

    AgentTrendQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes the week ending {@code today} for every active agent; returns the rows written. */
    public int writeWeekly(LocalDate today) {
        return jdbc.sql(WEEKLY).param("today", today).update();
    }

    /** The agent's trends, newest first (at most 90 periods). */
    public List<Trend> trends(UUID userId, UUID agentId) {
        return jdbc.sql("""
                SELECT period_start, period_end, period_type, calls_change_percent, success_rate_change_percent,
                       conversion_rate_change_percent, avg_duration_change_percent, performance_rank, total_agents_count
                  FROM agent_performance_trends WHERE agent_id = :agent AND user_id = :user
                 ORDER BY period_start DESC, period_type LIMIT 90""")
                .param("agent", agentId).param("user", userId).query(Trend.class).list();
    }
}
