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
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.agent.AgentService;
import ai.calling.analytics.AnalyticsDtos.Target;
import ai.calling.analytics.AnalyticsDtos.Trend;
import ai.calling.analytics.internal.AgentTargetQueries;
import ai.calling.analytics.internal.AgentTargetQueries.TargetRow;
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

    private final AgentService agents;
    private final AgentTargetQueries targetQueries;
    private final AgentTrendQueries trendQueries;

    AgentTargetsService(AgentService agents, AgentTargetQueries targetQueries, AgentTrendQueries trendQueries) {
        this.agents = agents;
        this.targetQueries = targetQueries;
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
            UUID id = targetQueries.insert(userId, agentId, periodStart(target.targetDate(), target.targetType()),
                    target.targetType(), target.targetCalls(), target.targetSuccessRate(), target.targetLeads(),
                    target.targetConversionRate());
            return list(userId, agentId).stream().filter(t -> id.equals(t.id())).findFirst().orElseThrow();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("This agent already has a " + target.targetType() + " target for that period");
        }
    }

    public List<Target> list(UUID userId, UUID agentId) {
        agents.get(userId, agentId);
        List<TargetRow> targets = targetQueries.withAchievement(userId, agentId);
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
        if (!targetQueries.delete(userId, agentId, targetId)) {
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
        return trendQueries.trends(userId, agentId);
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

    public record NewTarget(@NotNull LocalDate targetDate, @NotNull String targetType, @Min(0) Integer targetCalls,
            @Min(0) @Max(100) BigDecimal targetSuccessRate, @Min(0) Integer targetLeads,
            @Min(0) @Max(100) BigDecimal targetConversionRate) {
    }
}
