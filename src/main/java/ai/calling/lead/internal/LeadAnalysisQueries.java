package ai.calling.lead.internal;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.common.Rows;

/** Reads of lead_analytics by call, for the module's API (the lead.analyzed event). */
@Repository
public class LeadAnalysisQueries {

    private static final String COLUMNS = """
            id, call_id, phone_number, analysis_type, previous_calls_analyzed, latest_call_id, analysis_timestamp,
            intent_level, intent_score, urgency_level, urgency_score, budget_constraint, budget_score, fit_alignment,
            fit_score, engagement_health, engagement_score, total_score, lead_status_tag, reasoning::text AS reasoning,
            cta_interactions::text AS cta_interactions, company_name, extracted_name, extracted_email,
            cta_pricing_clicked, cta_demo_clicked, cta_followup_clicked, cta_sample_clicked, cta_escalated_to_human,
            smart_notification, demo_book_datetime, created_at""";

    private final JdbcClient jdbc;

    LeadAnalysisQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The call's own (individual) analysis, keys in camelCase; JSON columns as JSON text. */
    public Optional<Map<String, Object>> individual(UUID userId, UUID callId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM lead_analytics WHERE user_id = :user AND call_id = :call "
                + "AND analysis_type = 'individual' ORDER BY created_at DESC LIMIT 1")
                .param("user", userId).param("call", callId).query(Rows::map).optional();
    }

    /** The complete analysis of a number (all its calls), keys in camelCase. */
    public Optional<Map<String, Object>> complete(UUID userId, String phoneNumber) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM lead_analytics WHERE user_id = :user AND phone_number = :phone "
                + "AND analysis_type = 'complete'")
                .param("user", userId).param("phone", phoneNumber).query(Rows::map).optional();
    }
}
