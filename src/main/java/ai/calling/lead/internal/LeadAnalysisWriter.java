package ai.calling.lead.internal;

import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

/** Writes analyses: an individual row per call, and the single complete row per (user, phone) by UPSERT. */
@Repository
public class LeadAnalysisWriter {

    private static final String COLUMNS = """
            intent_level, intent_score, urgency_level, urgency_score, budget_constraint, budget_score, fit_alignment,
            fit_score, engagement_health, engagement_score, total_score, lead_status_tag, reasoning, cta_interactions,
            company_name, extracted_name, extracted_email, cta_pricing_clicked, cta_demo_clicked, cta_followup_clicked,
            cta_sample_clicked, cta_escalated_to_human, smart_notification, demo_book_datetime""";
    private static final String VALUES = """
            :intentLevel, :intentScore, :urgencyLevel, :urgencyScore, :budget, :budgetScore, :fit, :fitScore,
            :engagement, :engagementScore, :total, :tag, CAST(:reasoning AS jsonb), CAST(:cta AS jsonb), :company, :name,
            :email, :pricing, :demo, :followup, :sample, :human, :notification, :demoAt""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    LeadAnalysisWriter(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void individual(UUID userId, UUID callId, String phone, AnalysisResult result) {
        StringBuilder updates = new StringBuilder();
        for (String column : COLUMNS.replace("\n", " ").split(",")) {
            updates.append(column.trim()).append(" = EXCLUDED.").append(column.trim()).append(", ");
        }
        bind(jdbc.sql("INSERT INTO lead_analytics (user_id, call_id, phone_number, analysis_type, " + COLUMNS
                + ") VALUES (:user, :call, :phone, 'individual', " + VALUES + ") ON CONFLICT (call_id) WHERE "
                + "analysis_type = 'individual' DO UPDATE SET " + updates + "analysis_timestamp = CURRENT_TIMESTAMP"),
                result)
                .param("user", userId).param("call", callId).param("phone", phone).update();
    }

    public void complete(UUID userId, UUID latestCallId, String phone, int callsAnalyzed, AnalysisResult result) {
        StringBuilder updates = new StringBuilder();
        for (String column : COLUMNS.replace("\n", " ").split(",")) {
            updates.append(column.trim()).append(" = EXCLUDED.").append(column.trim()).append(", ");
        }
        bind(jdbc.sql("INSERT INTO lead_analytics (user_id, call_id, latest_call_id, phone_number, analysis_type, "
                + "previous_calls_analyzed, " + COLUMNS + ") VALUES (:user, :call, :call, :phone, 'complete', :count, "
                + VALUES + ") ON CONFLICT (user_id, phone_number) WHERE analysis_type = 'complete' DO UPDATE SET "
                + updates + "call_id = EXCLUDED.call_id, latest_call_id = EXCLUDED.latest_call_id, "
                + "previous_calls_analyzed = EXCLUDED.previous_calls_analyzed, analysis_timestamp = CURRENT_TIMESTAMP"),
                result).param("user", userId).param("call", latestCallId).param("phone", phone)
                .param("count", callsAnalyzed).update();
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, AnalysisResult r) {
        return sql.param("intentLevel", r.intentLevel()).param("intentScore", r.intentScore())
                .param("urgencyLevel", r.urgencyLevel()).param("urgencyScore", r.urgencyScore())
                .param("budget", r.budgetConstraint()).param("budgetScore", r.budgetScore())
                .param("fit", r.fitAlignment()).param("fitScore", r.fitScore()).param("engagement", r.engagementHealth())
                .param("engagementScore", r.engagementScore()).param("total", r.totalScore())
                .param("tag", r.leadStatusTag()).param("reasoning", json.writeValueAsString(r.reasoning()))
                .param("cta", json.writeValueAsString(r.cta())).param("company", cut(r.companyName(), 255))
                .param("name", cut(r.name(), 255)).param("email", cut(r.email(), 255))
                .param("pricing", r.cta().get("pricing_clicked")).param("demo", r.cta().get("demo_clicked"))
                .param("followup", r.cta().get("followup_clicked")).param("sample", r.cta().get("sample_clicked"))
                .param("human", r.cta().get("escalated_to_human")).param("notification", cut(r.smartNotification(), 1000))
                .param("demoAt", cut(r.demoBookDatetime(), 100));
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** Serialises the complete analysis of one lead (user and phone) until the transaction ends. */
    public void lockLead(UUID userId, String phone) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 7))").param("key", userId + ":" + phone)
                .query().singleValue();
    }

    /** The lead's complete analysis so far (score, tag, reasoning), empty before its first. */
    public Map<String, Object> previousComplete(UUID userId, String phone) {
        return jdbc.sql("""
                SELECT total_score, lead_status_tag, reasoning::text AS reasoning FROM lead_analytics
                 WHERE user_id = :user AND phone_number = :phone AND analysis_type = 'complete'""")
                .param("user", userId).param("phone", phone).query().listOfRows().stream().findFirst()
                .orElse(Map.of());
    }
}
