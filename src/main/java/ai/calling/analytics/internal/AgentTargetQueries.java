package ai.calling.analytics.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of agent_targets: the goals, and what the daily rollups say was achieved in each goal's period. */
@Repository
public class AgentTargetQueries {

    private final JdbcClient jdbc;

    AgentTargetQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a goal; a second goal of the same agent, type and period is a {@code DuplicateKeyException}. */
    public UUID insert(UUID userId, UUID agentId, LocalDate periodStart, String type, Integer calls,
            BigDecimal successRate, Integer leads, BigDecimal conversionRate) {
        return jdbc.sql("""
                INSERT INTO agent_targets (agent_id, user_id, target_date, target_type, target_calls,
                                           target_success_rate, target_leads, target_conversion_rate)
                VALUES (:agent, :user, :date, :type, :calls, :success, :leads, :conversion) RETURNING id""")
                .param("agent", agentId).param("user", userId).param("date", periodStart).param("type", type)
                .param("calls", calls).param("success", successRate).param("leads", leads)
                .param("conversion", conversionRate).query(UUID.class).single();
    }

    /** The agent's goals, newest period first, each with the rollups' sums over its period. */
    public List<TargetRow> withAchievement(UUID userId, UUID agentId) {
        return jdbc.sql("""
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
    }

    /** Returns whether a goal was deleted. */
    public boolean delete(UUID userId, UUID agentId, UUID targetId) {
        return jdbc.sql("DELETE FROM agent_targets WHERE id = :id AND agent_id = :agent AND user_id = :user")
                .param("id", targetId).param("agent", agentId).param("user", userId).update() > 0;
    }

    /** A goal and the sums the rollups give for its period. */
    public record TargetRow(UUID id, LocalDate targetDate, String targetType, Integer targetCalls,
            BigDecimal targetSuccessRate, Integer targetLeads, BigDecimal targetConversionRate, int achievedCalls,
            int achievedSuccessful, int achievedLeads, int achievedQualified) {
    }
}
