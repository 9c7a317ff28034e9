package ai.calling.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.agent.AgentService;
import ai.calling.analytics.AnalyticsDtos.Target;
import ai.calling.analytics.AnalyticsDtos.Trend;
import ai.calling.analytics.internal.AgentTrendQueries;
import ai.calling.common.ApiException;

/**
 * Goals per agent and period (agent_targets), with achievement computed from agent_analytics for
 * the period (daily: the day; weekly: Monday to Sunday; monthly: the calendar month), and the
 * agent's period-over-period trends (agent_performance_trends, written by the daily job).
 */
@Service
public class AgentTargetsService {

    static final Set<String> TYPES = Set.of("daily", "weekly", "monthly");

    private final JdbcClient jdbc;
    private final AgentService agents;
    private final AgentTrendQueries trendQueries;

    AgentTargetsService(JdbcClient jdbc, AgentService agents, AgentTrendQueries trendQueries) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.trendQueries = trendQueries;
    }

    public Target create(UUID userId, UUID agentId, NewTarget target) {
        agents.get(userId, agentId);
        if (!TYPES.contains(target.targetType())) {
            throw ApiException.invalidField("targetType", "must be daily, weekly or monthly");
        }
        if (target.targetCalls() == null && target.targetLeads() == null && target.targetSuccessRate() == null
                && target.targetConversionRate() == null) {
            throw ApiException.badRequest("Set at least one target");
        }
        try {
            UUID id = jdbc.sql("""
                    INSERT INTO agent_targets (agent_id, user_id, target_date, target_type, target_calls,
                                               target_success_rate, target_leads, target_conversion_rate)
                    VALUES (:agent, :user, :date, :type, :calls, :success, :leads, :conversion) RETURNING id""")
                    .param("agent", agentId).param("user", userId).param("date", periodStart(target.targetDate(),
                            target.targetType())).param("type", target.targetType()).param("calls", target.targetCalls())
                    .param("success", target.targetSuccessRate()).param("leads", target.targetLeads())
                    .param("conversion", target.targetConversionRate()).query(UUID.class).single();
            return list(userId, agentId).stream().filter(t -> id.equals(t.id())).findFirst().orElseThrow();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("This agent already has a " + target.targetType() + " target for that period");
        }
    }

    public List<Target> list(UUID userId, UUID agentId) {
        agents.get(userId, agentId);
        List<TargetRow> targets = jdbc.sql("""
                SELECT t.id, t.target_date, t.target_type, t.target_calls, t.target_success_rate, t.target_leads,
                       t.target_conversion_rate,
                       COALESCE(sum(aa.total_calls), 0)::int AS achieved_calls,
                       COALESCE(sum(aa.successful_calls), 0)::int AS achieved_successful,
                       COALESCE(sum(aa.leads_generated), 0)::int AS achieved_leads,
                       COALESCE(sum(aa.qualified_leads), 0)::int AS achieved_qualified
                  FROM agent_targets t
                  LEFT JOIN agent_analytics aa ON aa.agent_id = t.agent_id AND aa.user_id = t.user_id AND aa.hour IS NULL
                       AND aa.date >= t.target_date
                       AND aa.date < t.target_date + CASE t.target_type WHEN 'daily' THEN INTERVAL '1 day'
                                                                      WHEN 'weekly' THEN INTERVAL '7 days'
                                                                      ELSE INTERVAL '1 month' END
                 WHERE t.agent_id = :agent AND t.user_id = :user
                 GROUP BY t.id ORDER BY t.target_date DESC, t.target_type""")
                .param("agent", agentId).param("user", userId).query(TargetRow.class).list();
        List<Target> result = new ArrayList<>();
        for (TargetRow t : targets) {
            int calls = t.achievedCalls();
            int leads = t.achievedLeads();
            double successRate = calls == 0 ? 0 : 100.0 * t.achievedSuccessful() / calls;
            double conversionRate = leads == 0 ? 0 : 100.0 * t.achievedQualified() / leads;
            List<Double> parts = new ArrayList<>();
            part(parts, calls, t.targetCalls());
            part(parts, leads, t.targetLeads());
            part(parts, successRate, t.targetSuccessRate());
            part(parts, conversionRate, t.targetConversionRate());
            result.add(new Target(t.id(), t.targetDate(), t.targetType(), t.targetCalls(), t.targetSuccessRate(),
                    t.targetLeads(), t.targetConversionRate(), calls, t.achievedSuccessful(), leads,
                    t.achievedQualified(), round(successRate), round(conversionRate),
                    round(parts.stream().mapToDouble(Double::doubleValue).average().orElse(0))));
        }
        return result;
    }

    public void delete(UUID userId, UUID agentId, UUID targetId) {
        agents.get(userId, agentId);
        int deleted = jdbc.sql("DELETE FROM agent_targets WHERE id = :id AND agent_id = :agent AND user_id = :user")
                .param("id", targetId).param("agent", agentId).param("user", userId).update();
        if (deleted == 0) {
            throw ApiException.notFound("The target");
        }
    }

    /** Writes every active agent's weekly trend for the week ending {@code today} (the daily job); returns the rows. */
    @Transactional
    public int computeWeeklyTrends(LocalDate today) {
        return trendQueries.writeWeekly(today);
    }

    public List<Trend> trends(UUID userId, UUID agentId) {
        agents.get(userId, agentId);
        return jdbc.sql("""
                SELECT period_start, period_end, period_type, calls_change_percent, success_rate_change_percent,
                       conversion_rate_change_percent, avg_duration_change_percent, performance_rank, total_agents_count
                  FROM agent_performance_trends WHERE agent_id = :agent AND user_id = :user
                 ORDER BY period_start DESC, period_type LIMIT 90""")
                .param("agent", agentId).param("user", userId).query(Trend.class).list();
    }

    private static void part(List<Double> parts, double achieved, Number target) {
        if (target != null) {
            double goal = target.doubleValue();
            parts.add(goal <= 0 ? 100 : Math.min(100, 100 * achieved / goal));
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static LocalDate periodStart(LocalDate date, String type) {
        return switch (type) {
            case "weekly" -> date.minusDays(date.getDayOfWeek().getValue() - 1L);
            case "monthly" -> date.withDayOfMonth(1);
            default -> date;
        };
    }

    private record TargetRow(UUID id, LocalDate targetDate, String targetType, Integer targetCalls,
            BigDecimal targetSuccessRate, Integer targetLeads, BigDecimal targetConversionRate, int achievedCalls,
            int achievedSuccessful, int achievedLeads, int achievedQualified) {
    }

    public record NewTarget(@NotNull LocalDate targetDate, @NotNull String targetType, @Min(0) Integer targetCalls,
            @Min(0) @Max(100) BigDecimal targetSuccessRate, @Min(0) Integer targetLeads,
            @Min(0) @Max(100) BigDecimal targetConversionRate) {
    }
}
