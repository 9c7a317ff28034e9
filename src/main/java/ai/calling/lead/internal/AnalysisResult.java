package ai.calling.lead.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.calling.lead.internal.OpenAiAnalyzer.AnalysisFailure;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model's answer (docs/lead-analysis.md), checked before anything is written: one JSON object,
 * every score an integer 0..100, a status tag Hot/Warm/Cold. Unknown fields are ignored.
 */
public record AnalysisResult(String intentLevel, int intentScore, String urgencyLevel, int urgencyScore,
        String budgetConstraint, int budgetScore, String fitAlignment, int fitScore, String engagementHealth,
        int engagementScore, int totalScore, String leadStatusTag, Map<String, Object> reasoning,
        Map<String, Boolean> cta, String name, String email, String companyName, String smartNotification,
        String demoBookDatetime) {

    public static AnalysisResult parse(String text, JsonMapper json) {
        JsonNode root;
        try {
            root = json.readTree(strip(text));
        } catch (JacksonException e) {
            throw new AnalysisFailure("The model's output is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new AnalysisFailure("The model's output is not a JSON object");
        }
        withoutNul(root);
        String tag = root.path("lead_status_tag").asString("").trim().toLowerCase(Locale.ROOT);
        if (!tag.equals("hot") && !tag.equals("warm") && !tag.equals("cold")) {
            throw new AnalysisFailure("lead_status_tag must be Hot, Warm or Cold");
        }
        JsonNode cta = root.path("cta_interactions");
        Map<String, Boolean> flags = new LinkedHashMap<>();
        for (String flag : new String[] { "pricing_clicked", "demo_clicked", "followup_clicked", "sample_clicked",
                "escalated_to_human" }) {
            flags.put(flag, cta.path(flag).asBoolean(false));
        }
        JsonNode extraction = root.path("extraction");
        @SuppressWarnings("unchecked")
        Map<String, Object> reasoning = root.path("reasoning").isObject()
                ? json.treeToValue(root.path("reasoning"), Map.class) : Map.of();
        return new AnalysisResult(text(root, "intent_level"), score(root, "intent_score"), text(root, "urgency_level"),
                score(root, "urgency_score"), text(root, "budget_constraint"), score(root, "budget_score"),
                text(root, "fit_alignment"), score(root, "fit_score"), text(root, "engagement_health"),
                score(root, "engagement_score"), score(root, "total_score"),
                Character.toUpperCase(tag.charAt(0)) + tag.substring(1), reasoning, flags, text(extraction, "name"),
                text(extraction, "email"), text(extraction, "company_name"), text(extraction, "smart_notification"),
                text(extraction, "demo_book_datetime"));
    }

    private static int score(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (!value.isIntegralNumber() || value.asInt() < 0 || value.asInt() > 100) {
            throw new AnalysisFailure(field + " must be an integer from 0 to 100");
        }
        return value.asInt();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString().trim() : null;
    }

    /**
     * {@code node} without NUL characters ({@code \u0000} in the model's JSON) in any string, its objects and arrays
     * changed in place: PostgreSQL stores none, in text or in JSONB, and one of them failed the whole analysis's
     * write.
     */
    private static JsonNode withoutNul(JsonNode node) {
        if (node.isString() && node.asString().indexOf('\0') >= 0) {
            return JsonNodeFactory.instance.stringNode(node.asString().replace("\0", ""));
        }
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> property : List.copyOf(object.properties())) {
                object.set(property.getKey(), withoutNul(property.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, withoutNul(array.get(i)));
            }
        }
        return node;
    }

    /** Models sometimes wrap JSON in a code fence. */
    private static String strip(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.startsWith("```")) {
            trimmed = trimmed.replaceFirst("^```(json)?", "").replaceFirst("```$", "").trim();
        }
        return trimmed;
    }
}
