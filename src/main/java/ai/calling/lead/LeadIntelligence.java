package ai.calling.lead;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.Rows;
import ai.calling.contact.ContactService;
import ai.calling.lead.internal.LeadAnalysisQueries;
import ai.calling.lead.internal.LeadQueries;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leads are the phone numbers a user has called: one row each with its latest complete analysis,
 * call count, last call, contact, customer flag and next pending follow-up; and a timeline per number.
 */
@Service
public class LeadIntelligence {

    private final LeadQueries queries;
    private final ContactService contacts;
    private final LeadAnalysisQueries analyses;
    private final JsonMapper json;

    LeadIntelligence(LeadQueries queries, ContactService contacts, LeadAnalysisQueries analyses, JsonMapper json) {
        this.queries = queries;
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
        String like = search == null || search.isBlank() ? null : "%" + search.trim() + "%";
        return queries.leads(userId, tag, minScore, from, to, like, "score".equals(sort), page);
    }

    /** Every call with this number (oldest first) with its analysis and transcript, the complete analysis, follow-ups. */
    @Transactional(readOnly = true)
    public Timeline timeline(UUID userId, String rawPhone) {
        String phone = contacts.normalise(rawPhone).orElse(rawPhone);
        List<Map<String, Object>> calls = queries.timelineCalls(userId, phone);
        if (calls.isEmpty()) {
            throw ApiException.notFound("The lead");
        }
        Map<String, Object> complete = queries.completeAnalysis(userId, phone);
        List<Map<String, Object>> followUps = queries.followUps(userId, phone);
        return new Timeline(phone, Rows.camelCase(calls), complete == null ? null : Rows.camelCase(complete),
                Rows.camelCase(followUps));
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
