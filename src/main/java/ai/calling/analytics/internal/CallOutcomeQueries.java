package ai.calling.analytics.internal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.analytics.AnalyticsDtos.RecentOutcome;

/** SQL of agent_call_outcomes: the idempotent writes of a call's end and its analysis, and the per-agent summaries. */
@Repository
public class CallOutcomeQueries {

    private final JdbcClient jdbc;

    CallOutcomeQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A call's end: its account, agent, id and outcome. */
    public record End(UUID userId, UUID agentId, UUID callId, String outcome) {
    }

    /** How these calls ended, in one statement; a second write for the same call changes nothing. */
    public void recordEnds(List<End> ends) {
        if (ends.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO agent_call_outcomes (agent_id, call_id, user_id, outcome)
                SELECT * FROM unnest(:agents, :calls, :users, :outcomes) ON CONFLICT (call_id) DO NOTHING""")
                .param("agents", ends.stream().map(End::agentId).toArray(UUID[]::new))
                .param("calls", ends.stream().map(End::callId).toArray(UUID[]::new))
                .param("users", ends.stream().map(End::userId).toArray(UUID[]::new))
                .param("outcomes", ends.stream().map(End::outcome).toArray(String[]::new)).update();
    }

    /** The figures of the call's individual lead analysis that an outcome keeps, if it has one. */
    public Optional<AnalysedLead> analysedLead(UUID userId, UUID callId) {
        return jdbc.sql("""
                SELECT l.total_score, l.lead_status_tag, l.cta_followup_clicked, l.cta_demo_clicked,
                       l.demo_book_datetime, l.smart_notification
                  FROM report_lead_analyses l
                 WHERE l.call_id = :call AND l.user_id = :user AND l.analysis_type = 'individual'""")
                .param("call", callId).param("user", userId).query(AnalysedLead.class).optional();
    }

    /** Writes (or overwrites) what the analysis says of the call, creating the row for a call that ended before outcomes were kept. */
    public void recordAnalysis(UUID userId, UUID callId, boolean qualified, String temperature, boolean followUp,
            LocalDate followUpDate, String nextSteps) {
        jdbc.sql("""
                INSERT INTO agent_call_outcomes (agent_id, call_id, user_id, outcome, is_qualified_lead,
                                                 lead_temperature, follow_up_required, follow_up_date, next_steps)
                SELECT c.agent_id, c.id, c.user_id, CASE c.status WHEN 'completed' THEN 'completed' ELSE 'failed' END,
                       :qualified, :temperature, :followUp, :followUpDate, :nextSteps
                  FROM report_calls c WHERE c.id = :call AND c.user_id = :user
                ON CONFLICT (call_id) DO UPDATE SET is_qualified_lead = EXCLUDED.is_qualified_lead,
                       lead_temperature = EXCLUDED.lead_temperature, follow_up_required = EXCLUDED.follow_up_required,
                       follow_up_date = EXCLUDED.follow_up_date, next_steps = EXCLUDED.next_steps""")
                .param("qualified", qualified).param("temperature", temperature).param("followUp", followUp)
                .param("followUpDate", followUpDate).param("nextSteps", nextSteps)
                .param("call", callId).param("user", userId).update();
    }

    /** Calls, qualified leads and follow-ups of the agent's calls created in [start, end] (UTC days). */
    public Totals totals(UUID userId, UUID agentId, LocalDate start, LocalDate end) {
        return jdbc.sql("""
                SELECT count(*) AS calls, count(*) FILTER (WHERE is_qualified_lead) AS qualified_leads,
                       count(*) FILTER (WHERE follow_up_required) AS follow_ups_required
                  FROM agent_call_outcomes""" + WHERE)
                .params(range(userId, agentId, start, end)).query(Totals.class).single();
    }

    /** The latest 20 outcomes in the range. */
    public List<RecentOutcome> recent(UUID userId, UUID agentId, LocalDate start, LocalDate end) {
        return jdbc.sql("""
                SELECT call_id, outcome, is_qualified_lead, lead_temperature, follow_up_required, follow_up_date,
                       next_steps, created_at
                  FROM agent_call_outcomes""" + WHERE + " ORDER BY created_at DESC, call_id LIMIT 20")
                .params(range(userId, agentId, start, end)).query(RecentOutcome.class).list();
    }

    /** Counts per value of {@code column} (outcome or lead_temperature), every key present, zero when unseen. */
    public Map<String, Integer> countsBy(Grouping column, List<String> keys, UUID userId, UUID agentId,
            LocalDate start, LocalDate end) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        keys.forEach(key -> counts.put(key, 0));
        String name = column.column;
        jdbc.sql("SELECT " + name + " AS key, count(*) AS n FROM agent_call_outcomes" + WHERE + " AND " + name
                + " IS NOT NULL GROUP BY 1").params(range(userId, agentId, start, end))
                .query((rs, i) -> counts.put(rs.getString("key"), rs.getInt("n"))).list();
        return counts;
    }

    /** The columns a summary groups by (a closed list: the name goes into the SQL text). */
    public enum Grouping {
        OUTCOME("outcome"), TEMPERATURE("lead_temperature");

        final String column;

        Grouping(String column) {
            this.column = column;
        }
    }

    public record Totals(int calls, int qualifiedLeads, int followUpsRequired) {
    }

    public record AnalysedLead(Integer totalScore, String leadStatusTag, Boolean ctaFollowupClicked,
            Boolean ctaDemoClicked, String demoBookDatetime, String smartNotification) {
    }

    private static final String WHERE =
            " WHERE agent_id = :agent AND user_id = :user AND created_at >= :start AND created_at < :end";

    private static Map<String, Object> range(UUID userId, UUID agentId, LocalDate start, LocalDate end) {
        return Map.of("agent", agentId, "user", userId, "start", start.atStartOfDay().atOffset(ZoneOffset.UTC),
                "end", end.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    }
}
