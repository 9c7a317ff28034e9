package ai.calling.analytics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import ai.calling.agent.AgentService;
import ai.calling.analytics.AnalyticsDtos.OutcomeSummary;
import ai.calling.analytics.AnalyticsDtos.RecentOutcome;
import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.lead.LeadAnalysisCompleted;

/**
 * agent_call_outcomes: one row per call, written in the transaction that ends the call (how it
 * ended) and completed in the transaction that writes its lead analysis (qualified, temperature,
 * follow-up, next steps). Both writes are idempotent, so replays and retried analyses change
 * nothing twice. Quality, satisfaction, sentiment, topics and objections stay empty: neither Bolna
 * nor our analysis prompt reports them, and we do not invent them.
 */
@Service
public class CallOutcomes {

    static final List<String> OUTCOMES = List.of("completed", "no_answer", "busy", "failed", "voicemail",
            "disconnected");
    static final List<String> TEMPERATURES = List.of("hot", "warm", "cold", "not_interested");

    private final JdbcClient jdbc;
    private final AgentService agents;
    private final Clock clock;

    CallOutcomes(JdbcClient jdbc, AgentService agents, Clock clock) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.clock = clock;
    }

    @EventListener
    void callEnded(CallCompleted call) {
        jdbc.sql("""
                INSERT INTO agent_call_outcomes (agent_id, call_id, user_id, outcome)
                VALUES (:agent, :call, :user, :outcome) ON CONFLICT (call_id) DO NOTHING""")
                .param("agent", call.agentId()).param("call", call.callId()).param("user", call.userId())
                .param("outcome", call.outcome()).update();
    }

    /** Also creates the row for a call that ended before outcomes were recorded. */
    @EventListener
    void analysed(LeadAnalysisCompleted analysis) {
        List<Map<String, Object>> found = jdbc.sql("""
                SELECT l.total_score, l.lead_status_tag, l.cta_followup_clicked, l.cta_demo_clicked,
                       l.demo_book_datetime, l.smart_notification
                  FROM report_lead_analyses l
                 WHERE l.call_id = :call AND l.user_id = :user AND l.analysis_type = 'individual'""")
                .param("call", analysis.callId()).param("user", analysis.userId()).query().listOfRows();
        if (found.isEmpty()) {
            return;
        }
        Map<String, Object> lead = found.getFirst();
        LocalDate followUpDate = date((String) lead.get("demo_book_datetime"));
        boolean followUp = Boolean.TRUE.equals(lead.get("cta_followup_clicked"))
                || Boolean.TRUE.equals(lead.get("cta_demo_clicked")) || followUpDate != null;
        String tag = (String) lead.get("lead_status_tag");
        jdbc.sql("""
                INSERT INTO agent_call_outcomes (agent_id, call_id, user_id, outcome, is_qualified_lead,
                                                 lead_temperature, follow_up_required, follow_up_date, next_steps)
                SELECT c.agent_id, c.id, c.user_id, CASE c.status WHEN 'completed' THEN 'completed' ELSE 'failed' END,
                       :qualified, :temperature, :followUp, :followUpDate, :nextSteps
                  FROM report_calls c WHERE c.id = :call AND c.user_id = :user
                ON CONFLICT (call_id) DO UPDATE SET is_qualified_lead = EXCLUDED.is_qualified_lead,
                       lead_temperature = EXCLUDED.lead_temperature, follow_up_required = EXCLUDED.follow_up_required,
                       follow_up_date = EXCLUDED.follow_up_date, next_steps = EXCLUDED.next_steps""")
                .param("qualified", lead.get("total_score") != null && ((Number) lead.get("total_score")).intValue() >= 70)
                .param("temperature", tag == null ? null : tag.toLowerCase(Locale.ROOT))
                .param("followUp", followUp).param("followUpDate", followUpDate)
                .param("nextSteps", lead.get("smart_notification"))
                .param("call", analysis.callId()).param("user", analysis.userId()).update();
    }

    /** The agent's outcomes over [from, to] (UTC days of the call's end; default the last 30 days). */
    public OutcomeSummary summary(UUID userId, UUID agentId, LocalDate from, LocalDate to) {
        agents.get(userId, agentId);
        DateRange range = DateRange.of(from, to, clock);
        LocalDate start = range.start();
        LocalDate end = range.end();
        String where = " WHERE agent_id = :agent AND user_id = :user AND created_at >= :start AND created_at < :end";
        Map<String, Object> totals = jdbc.sql("""
                SELECT count(*) AS calls, count(*) FILTER (WHERE is_qualified_lead) AS qualified_leads,
                       count(*) FILTER (WHERE follow_up_required) AS follow_ups_required
                  FROM agent_call_outcomes""" + where)
                .params(rangeParams(userId, agentId, start, end)).query().singleRow();
        List<RecentOutcome> recent = jdbc.sql("""
                SELECT call_id, outcome, is_qualified_lead, lead_temperature, follow_up_required, follow_up_date,
                       next_steps, created_at
                  FROM agent_call_outcomes""" + where + " ORDER BY created_at DESC, call_id LIMIT 20")
                .params(rangeParams(userId, agentId, start, end)).query(RecentOutcome.class).list();
        return new OutcomeSummary(agentId, start, end, ((Number) totals.get("calls")).intValue(),
                counts("outcome", OUTCOMES, userId, agentId, start, end, where),
                ((Number) totals.get("qualified_leads")).intValue(),
                counts("lead_temperature", TEMPERATURES, userId, agentId, start, end, where),
                ((Number) totals.get("follow_ups_required")).intValue(), recent);
    }

    private Map<String, Integer> counts(String column, List<String> keys, UUID userId, UUID agentId, LocalDate start,
            LocalDate end, String where) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        keys.forEach(key -> counts.put(key, 0));
        jdbc.sql("SELECT " + column + " AS key, count(*) AS n FROM agent_call_outcomes" + where + " AND " + column
                + " IS NOT NULL GROUP BY 1").params(rangeParams(userId, agentId, start, end))
                .query((rs, i) -> counts.put(rs.getString("key"), rs.getInt("n"))).list();
        return counts;
    }

    private static Map<String, Object> rangeParams(UUID userId, UUID agentId, LocalDate start, LocalDate end) {
        return Map.of("agent", agentId, "user", userId, "start", start.atStartOfDay().atOffset(ZoneOffset.UTC),
                "end", end.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    }

    /** Lead analyses give the booked demo as free text; only a leading ISO date is taken. */
    private static LocalDate date(String text) {
        if (text == null || text.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
