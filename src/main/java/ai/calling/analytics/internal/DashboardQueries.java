package ai.calling.analytics.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.analytics.AnalyticsDtos.AgentPerformance;
import ai.calling.analytics.AnalyticsDtos.BestAgent;
import ai.calling.analytics.AnalyticsDtos.CallPeriod;
import ai.calling.analytics.AnalyticsDtos.CallSourceStats;
import ai.calling.analytics.AnalyticsDtos.CtaFunnel;
import ai.calling.analytics.AnalyticsDtos.Overview;
import ai.calling.analytics.AnalyticsDtos.ScoreBucket;
import ai.calling.analytics.AnalyticsDtos.StatusTagCount;
import ai.calling.analytics.AnalyticsDtos.Window;

/**
 * SQL of the dashboards: the trigger-maintained daily rollups (user_analytics, agent_analytics),
 * the reporting views of calls and agents, and the reporting views of lead analyses and accounts.
 */
@Repository
public class DashboardQueries {

    private final JdbcClient jdbc;

    DashboardQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account's balance now. */
    public int balance(UUID userId) {
        return jdbc.sql("SELECT credits FROM report_accounts WHERE id = :user").param("user", userId)
                .query(Integer.class).single();
    }

    /** Calls per day, week or month over [start, end] (UTC days); {@code unit} is one of day, week, month. */
    public List<CallPeriod> callSeries(UUID userId, LocalDate start, LocalDate end, String unit) {
        return jdbc.sql("""
                SELECT date_trunc(:unit, date)::date AS period, sum(total_calls)::int AS total_calls,
                       sum(successful_calls)::int AS successful_calls, sum(failed_calls)::int AS failed_calls,
                       sum(total_duration_minutes)::int AS minutes, sum(credits_used)::int AS credits_used,
                       sum(leads_generated)::int AS leads, sum(qualified_leads)::int AS qualified_leads
                  FROM user_analytics
                 WHERE user_id = :user AND hour IS NULL AND date BETWEEN :start AND :end
                 GROUP BY 1 ORDER BY 1""")
                .param("unit", unit).param("user", userId).param("start", start).param("end", end)
                .param("unit", unit).param("user", userId).param("start", start).param("end", end)
                .query(CallPeriod.class).list();
    }

    public List<AgentPerformance> agents(UUID userId) {
        return jdbc.sql("SELECT * FROM agent_performance_summary WHERE user_id = :user ORDER BY agent_name")
                .param("user", userId).query(AgentPerformance.class).list();
    }

    public List<CallSourceStats> sources(UUID userId) {
        return jdbc.sql("SELECT * FROM call_source_analytics WHERE user_id = :user ORDER BY call_source")
                .param("user", userId).query(CallSourceStats.class).list();
    }

    /** Individual analyses per score decile (0-9, 10-19, ... 90-100). */
    public List<ScoreBucket> scoreBuckets(UUID userId) {
        return jdbc.sql("""
                SELECT least(total_score / 10, 9) * 10 AS bucket_from, count(*) AS leads FROM report_lead_analyses
                 WHERE user_id = :user AND analysis_type = 'individual' AND total_score IS NOT NULL
                 GROUP BY 1 ORDER BY 1""").param("user", userId).query(ScoreBucket.class).list();
    }

    /** Leads (complete analyses, one per phone number) per status tag. */
    public List<StatusTagCount> statusTags(UUID userId) {
        return jdbc.sql("""
                SELECT lead_status_tag, count(*) AS leads FROM report_lead_analyses
                 WHERE user_id = :user AND analysis_type = 'complete' AND lead_status_tag IS NOT NULL
                 GROUP BY 1 ORDER BY 1""").param("user", userId).query(StatusTagCount.class).list();
    }

    public CtaFunnel ctaFunnel(UUID userId) {
        return jdbc.sql("""
                SELECT count(*) AS analysed,
                       count(*) FILTER (WHERE cta_pricing_clicked) AS pricing,
                       count(*) FILTER (WHERE cta_demo_clicked) AS demo,
                       count(*) FILTER (WHERE cta_followup_clicked) AS followup,
                       count(*) FILTER (WHERE cta_sample_clicked) AS sample,
                       count(*) FILTER (WHERE cta_escalated_to_human) AS human
                  FROM report_lead_analyses WHERE user_id = :user AND analysis_type = 'individual'""")
                .param("user", userId).query(CtaFunnel.class).single();
    }

    /**
     * One round trip: the three windows (one row each), the best agent of the last 30 days and the
     * balance. Under concurrent load every extra query costs a full round trip's wait, and this is
     * the page every user opens first.
     */
    public Overview overview(UUID userId, LocalDate today) {
        List<Map<String, Object>> rows = jdbc.sql("""
                WITH windows AS (
                    SELECT w.ord,
                           COALESCE(sum(ua.total_calls), 0)::int AS calls,
                           COALESCE(sum(ua.successful_calls), 0)::int AS successful,
                           COALESCE(sum(ua.failed_calls), 0)::int AS failed,
                           COALESCE(sum(ua.total_duration_minutes), 0)::int AS minutes,
                           COALESCE(sum(ua.credits_used), 0)::int AS credits_used,
                           COALESCE(sum(ua.leads_generated), 0)::int AS leads,
                           COALESCE(sum(ua.qualified_leads), 0)::int AS qualified_leads,
                           COALESCE(sum(ua.total_cta_interactions), 0)::int AS cta_interactions,
                           COALESCE(sum(ua.leads_with_cta), 0)::int AS leads_with_cta
                      FROM (VALUES (1, CAST(:last30 AS date)), (2, CAST(:last7 AS date)), (3, DATE '1970-01-01'))
                           AS w(ord, from_date)
                      LEFT JOIN user_analytics ua
                             ON ua.user_id = :user AND ua.hour IS NULL AND ua.date >= w.from_date
                     GROUP BY w.ord),
                best AS (
                    SELECT a.id AS agent_id, a.name, sum(aa.successful_calls) AS successful_calls,
                           sum(aa.total_calls) AS calls
                      FROM agent_analytics aa JOIN report_agents a ON a.id = aa.agent_id AND a.user_id = aa.user_id
                     WHERE aa.user_id = :user AND aa.hour IS NULL AND aa.date >= :last30
                     GROUP BY a.id, a.name HAVING sum(aa.total_calls) > 0
                     ORDER BY sum(aa.successful_calls)::numeric / sum(aa.total_calls) DESC, sum(aa.total_calls) DESC, a.name
                     LIMIT 1)
                SELECT windows.*, best.agent_id, best.name AS agent_name, best.successful_calls AS agent_successful_calls,
                       best.calls AS agent_calls, (SELECT credits FROM report_accounts WHERE id = :user) AS credits_remaining
                  FROM windows LEFT JOIN best ON true
                 ORDER BY windows.ord""")
                .param("user", userId).param("last30", today.minusDays(29)).param("last7", today.minusDays(6))
                .query().listOfRows();
        Map<String, Object> first = rows.get(0);
        BestAgent bestAgent = first.get("agent_id") == null ? null : new BestAgent((UUID) first.get("agent_id"),
                (String) first.get("agent_name"), number(first, "agent_successful_calls"), number(first, "agent_calls"));
        return new Overview(window(rows.get(0)), window(rows.get(1)), window(rows.get(2)), bestAgent,
                (int) number(first, "credits_remaining"));
    }

    private static Window window(Map<String, Object> row) {
        int calls = (int) number(row, "calls");
        int successful = (int) number(row, "successful");
        int leads = (int) number(row, "leads");
        int qualified = (int) number(row, "qualified_leads");
        return new Window(calls, successful, (int) number(row, "failed"), rate(successful, calls),
                rate(successful, calls), (int) number(row, "minutes"), (int) number(row, "credits_used"), leads,
                qualified, rate(qualified, leads), (int) number(row, "cta_interactions"),
                rate((int) number(row, "leads_with_cta"), calls));
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static double rate(int part, int whole) {
        return whole == 0 ? 0 : Math.min(100, Math.round(part * 10000.0 / whole) / 100.0);
    }
}
