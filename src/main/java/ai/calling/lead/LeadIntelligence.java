package ai.calling.lead;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.Rows;
import ai.calling.contact.ContactService;
import ai.calling.lead.internal.LeadAnalysisQueries;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leads are the phone numbers a user has called: one row each with its latest complete analysis,
 * call count, last call, contact, customer flag and next pending follow-up; and a timeline per number.
 */
@Service
public class LeadIntelligence {

    private static final String LEADS = """
            WITH per_phone AS (
                SELECT phone_number, count(*) AS calls, max(created_at) AS last_call_at
                  FROM report_calls WHERE user_id = :user GROUP BY phone_number)
            SELECT p.phone_number, p.calls, p.last_call_at, la.total_score, la.lead_status_tag, la.intent_score,
                   la.urgency_score, la.budget_score, la.fit_score, la.engagement_score, la.analysis_timestamp,
                   ct.id AS contact_id, ct.name AS contact_name, ct.email AS contact_email, ct.company AS contact_company,
                   COALESCE(ct.is_customer, false) AS is_customer, fu.follow_up_date AS next_follow_up
              FROM per_phone p
              LEFT JOIN lead_analytics la ON la.user_id = :user AND la.phone_number = p.phone_number
                                          AND la.analysis_type = 'complete'
              LEFT JOIN report_contacts ct ON ct.user_id = :user AND ct.phone_number = p.phone_number
              LEFT JOIN LATERAL (SELECT follow_up_date FROM follow_ups f
                                  WHERE f.user_id = :user AND f.lead_phone = p.phone_number
                                    AND f.follow_up_status = 'pending'
                                  ORDER BY f.follow_up_date LIMIT 1) fu ON true
             WHERE (CAST(:tag AS text) IS NULL OR la.lead_status_tag = :tag)
               AND (CAST(:minScore AS integer) IS NULL OR la.total_score >= :minScore)
               AND (CAST(:from AS timestamptz) IS NULL OR p.last_call_at >= :from)
               AND (CAST(:to AS timestamptz) IS NULL OR p.last_call_at < :to)
               AND (CAST(:search AS text) IS NULL OR p.phone_number LIKE :search
                    OR lower(COALESCE(ct.name, '')) LIKE lower(:search) OR lower(COALESCE(ct.company, '')) LIKE lower(:search))
            """;

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final LeadAnalysisQueries analyses;
    private final JsonMapper json;

    LeadIntelligence(JdbcClient jdbc, ContactService contacts, LeadAnalysisQueries analyses, JsonMapper json) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.analyses = analyses;
        this.json = json;
    }

    /**
     * The lead analysis of one call as customers' systems receive it: the call's own analysis and the
     * number's complete analysis (over all its calls), reasoning and CTA interactions as JSON objects.
     * Empty when the call has no analysis.
     */
    @Transactional(readOnly = true)
    public Optional<Map<String, Object>> analysisOfCall(UUID userId, UUID callId) {
        return analyses.individual(userId, callId).map(individual -> {
            Map<String, Object> lead = new LinkedHashMap<>();
            lead.put("callId", callId);
            lead.put("phoneNumber", individual.get("phoneNumber"));
            lead.put("analysis", withJson(individual));
            Object phone = individual.get("phoneNumber");
            lead.put("completeAnalysis", phone == null ? null
                    : analyses.complete(userId, phone.toString()).map(this::withJson).orElse(null));
            return lead;
        });
    }

    private Map<String, Object> withJson(Map<String, Object> row) {
        Map<String, Object> converted = new LinkedHashMap<>(row);
        for (String column : List.of("reasoning", "ctaInteractions")) {
            if (converted.get(column) instanceof String text) {
                converted.put(column, json.readTree(text));
            }
        }
        return converted;
    }

    @Transactional(readOnly = true)
    public PageResponse<LeadRow> leads(UUID userId, String tag, Integer minScore, Instant from, Instant to, String search,
            String sort, PageRequest page) {
        if (tag != null && !List.of("Hot", "Warm", "Cold").contains(tag)) {
            throw ApiException.invalidField("tag", "must be Hot, Warm or Cold");
        }
        if (sort != null && !sort.equals("score") && !sort.equals("recency")) {
            throw ApiException.invalidField("sort", "must be score or recency");
        }
        String order = "score".equals(sort) ? " ORDER BY la.total_score DESC NULLS LAST, p.last_call_at DESC, p.phone_number"
                : " ORDER BY p.last_call_at DESC, p.phone_number";
        String like = search == null || search.isBlank() ? null : "%" + search.trim() + "%";
        Map<String, Object> params = new HashMap<>();
        params.put("user", userId);
        params.put("tag", tag);
        params.put("minScore", minScore);
        params.put("from", from == null ? null : from.atOffset(ZoneOffset.UTC));
        params.put("to", to == null ? null : to.atOffset(ZoneOffset.UTC));
        params.put("search", like);
        long total = jdbc.sql("SELECT count(*) FROM (" + LEADS + ") leads").params(params).query(Long.class).single();
        params.put("limit", page.getPageSize());
        params.put("offset", page.getOffset());
        List<LeadRow> rows = jdbc.sql(LEADS + order + " LIMIT :limit OFFSET :offset").params(params)
                .query((rs, n) -> new LeadRow(rs.getString("phone_number"), rs.getLong("calls"),
                        instant(rs.getObject("last_call_at", OffsetDateTime.class)), (Integer) rs.getObject("total_score"),
                        rs.getString("lead_status_tag"), (Integer) rs.getObject("intent_score"),
                        (Integer) rs.getObject("urgency_score"), (Integer) rs.getObject("budget_score"),
                        (Integer) rs.getObject("fit_score"), (Integer) rs.getObject("engagement_score"),
                        rs.getObject("contact_id", UUID.class), rs.getString("contact_name"), rs.getString("contact_email"),
                        rs.getString("contact_company"), rs.getBoolean("is_customer"),
                        rs.getObject("next_follow_up", LocalDate.class)))
                .list();
        return new PageResponse<>(rows, page.getPageNumber(), page.getPageSize(), total);
    }

    /** Every call with this number (oldest first) with its analysis and transcript, the complete analysis, follow-ups. */
    @Transactional(readOnly = true)
    public Timeline timeline(UUID userId, String rawPhone) {
        String phone = contacts.normalise(rawPhone).orElse(rawPhone);
        List<Map<String, Object>> calls = jdbc.sql("""
                SELECT c.id, c.status, c.call_lifecycle_status, c.lead_type, c.duration_seconds, c.credits_used,
                       c.created_at, t.content AS transcript, t.analysis_status, l.total_score, l.lead_status_tag,
                       l.smart_notification, l.cta_pricing_clicked, l.cta_demo_clicked
                  FROM report_calls c
                  LEFT JOIN report_transcripts t ON t.call_id = c.id
                  LEFT JOIN lead_analytics l ON l.call_id = c.id AND l.analysis_type = 'individual'
                 WHERE c.user_id = :user AND c.phone_number = :phone ORDER BY c.created_at, c.id""")
                .param("user", userId).param("phone", phone).query().listOfRows();
        if (calls.isEmpty()) {
            throw ApiException.notFound("The lead");
        }
        Map<String, Object> complete = jdbc.sql("""
                SELECT total_score, lead_status_tag, intent_score, urgency_score, budget_score, fit_score,
                       engagement_score, reasoning::text AS reasoning, previous_calls_analyzed, latest_call_id,
                       analysis_timestamp
                  FROM lead_analytics WHERE user_id = :user AND phone_number = :phone AND analysis_type = 'complete'""")
                .param("user", userId).param("phone", phone).query().listOfRows().stream().findFirst().orElse(null);
        List<Map<String, Object>> followUps = jdbc.sql("""
                SELECT id, follow_up_date, follow_up_status, remark FROM follow_ups
                 WHERE user_id = :user AND lead_phone = :phone ORDER BY follow_up_date, id""")
                .param("user", userId).param("phone", phone).query().listOfRows();
        return new Timeline(phone, Rows.camelCase(calls), complete == null ? null : Rows.camelCase(complete),
                Rows.camelCase(followUps));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    public record LeadRow(String phoneNumber, long calls, Instant lastCallAt, Integer totalScore, String leadStatusTag,
            Integer intentScore, Integer urgencyScore, Integer budgetScore, Integer fitScore, Integer engagementScore,
            UUID contactId, String contactName, String contactEmail, String contactCompany, boolean isCustomer,
            LocalDate nextFollowUp) {
    }

    public record Timeline(String phoneNumber, List<Map<String, Object>> calls, Map<String, Object> completeAnalysis,
            List<Map<String, Object>> followUps) {
    }
}
