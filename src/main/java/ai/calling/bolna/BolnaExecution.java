package ai.calling.bolna;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Bolna execution object (what a webhook delivers and {@code GET /executions/{id}} returns), read
 * once into plain values: tolerant of unknown keys, numbers written as strings, nulls until the call
 * is terminal, and values of the wrong type (read as absent). Numbers are read as exact decimals, so
 * one too large for a double is still a number.
 *
 * @param id               the execution id ({@code id}, else {@code execution_id})
 * @param agentId          Bolna's agent id ("" when absent)
 * @param rawStatus        the status as Bolna wrote it
 * @param status           its place in our lifecycle ({@link BolnaStatus})
 * @param at               when this update happened ({@code updated_at}, else {@code created_at}, else now)
 * @param durationSeconds  the telephony duration, else the conversation's, in whole seconds rounded up;
 *                         0 when none is a finite non-negative number
 * @param voicemail        {@code answered_by_voice_mail}
 * @param transcript       the transcript text, or null
 * @param telephony        the telephony data
 * @param recipient        the recipient's number and our data echoed back
 * @param details          what is kept on the call as Bolna's metadata (costs, usage, summary, extracted
 *                         data, error message, telephony provider ids, the last status)
 */
public record BolnaExecution(String id, String agentId, String rawStatus, BolnaStatus status, Instant at,
        long durationSeconds, boolean voicemail, String transcript, Telephony telephony, Recipient recipient,
        Map<String, Object> details) {

    /** The key of our recorded dial's id in the {@code user_data} Bolna echoes back. */
    static final String ATTEMPT_ID = "call_attempt_id";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final BigDecimal LONGEST = BigDecimal.valueOf(Long.MAX_VALUE);

    /** {@code telephony_data}: numbers, recording, direction and how the call was hung up. */
    public record Telephony(String toNumber, String fromNumber, String recordingUrl, String callType, String hangupBy,
            String hangupReason, Integer hangupProviderCode) {
    }

    /** {@code context_details}: the number called and our {@code user_data} as Bolna echoes it. */
    public record Recipient(String phoneNumber, String name, UUID callAttemptId) {
    }

    /** Reads one stored or fetched execution; throws {@link IllegalArgumentException} when it is not one. */
    public static BolnaExecution parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        return of(node);
    }

    static BolnaExecution of(JsonNode execution) {
        String id = id(execution).orElseThrow(() -> new IllegalArgumentException("the execution has no id"));
        JsonNode telephony = execution.path("telephony_data");
        JsonNode recipientData = execution.path("context_details").path("recipient_data");
        String rawStatus = text(execution.path("status"));
        Map<String, Object> details = new LinkedHashMap<>();
        for (String field : new String[] { "total_cost", "cost_breakdown", "usage_breakdown", "answered_by_voice_mail",
                "error_message", "summary", "extracted_data" }) {
            JsonNode value = execution.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                details.put(field, JSON.treeToValue(value, Object.class));
            }
        }
        for (String field : new String[] { "provider", "provider_call_id", "hosted_telephony" }) {
            JsonNode value = telephony.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                details.put("telephony_" + field, JSON.treeToValue(value, Object.class));
            }
        }
        details.put("last_status", rawStatus == null ? "" : rawStatus);
        return new BolnaExecution(id, text(execution.path("agent_id")) == null ? "" : text(execution.path("agent_id")),
                rawStatus, BolnaStatus.of(rawStatus), at(execution),
                durationSeconds(telephony.path("duration"), execution.path("conversation_duration"),
                        execution.path("conversation_time")),
                execution.path("answered_by_voice_mail").asBoolean(false), blankToNull(text(execution.path("transcript"))),
                new Telephony(blankToNull(text(telephony.path("to_number"))), blankToNull(text(telephony.path("from_number"))),
                        blankToNull(text(telephony.path("recording_url"))), blankToNull(text(telephony.path("call_type"))),
                        blankToNull(text(telephony.path("hangup_by"))), blankToNull(text(telephony.path("hangup_reason"))),
                        providerCode(telephony.path("hangup_provider_code"))),
                new Recipient(blankToNull(text(execution.path("context_details").path("recipient_phone_number"))),
                        blankToNull(text(recipientData.path("name"))), uuid(text(recipientData.path(ATTEMPT_ID)))),
                details);
    }

    /** The execution id of a payload: {@code id}, or {@code execution_id}. */
    static Optional<String> id(JsonNode execution) {
        for (String field : new String[] { "id", "execution_id" }) {
            String value = text(execution.path(field));
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** Whether Bolna says the call was inbound (an update without its telephony data says neither). */
    public boolean reportedInbound() {
        return "inbound".equals(telephony.callType());
    }

    /** A call is inbound unless Bolna says it was outbound. */
    public boolean inbound() {
        return !"outbound".equals(telephony.callType());
    }

    /** The customer's number: the caller of an inbound call, the callee of an outbound one. */
    public String customerNumber() {
        String number = inbound() ? telephony.fromNumber() : telephony.toNumber();
        return number != null ? number : recipient.phoneNumber();
    }

    /**
     * Whole seconds, rounded up, from the first source that is a finite non-negative number (a number,
     * or a string holding one); huge values are bounded by the caller against the call's limit.
     */
    static long durationSeconds(JsonNode... sources) {
        for (JsonNode value : sources) {
            long seconds = wholeSeconds(value);
            if (seconds > 0) {
                return seconds;
            }
        }
        return 0;
    }

    private static long wholeSeconds(JsonNode value) {
        BigDecimal seconds;
        try {
            if (value.isNumber()) {
                seconds = value.decimalValue();
            } else if (value.isString() && !value.asString().isBlank() && value.asString().length() <= 100) {
                seconds = new BigDecimal(value.asString().trim());
            } else {
                return 0;
            }
        } catch (NumberFormatException | ArithmeticException notAFiniteNumber) {
            return 0;
        }
        if (seconds.signum() <= 0) {
            return 0;
        }
        if (seconds.compareTo(BigDecimal.ONE) <= 0) {
            return 1;
        }
        return seconds.min(LONGEST).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The times an execution's timestamps may take: years 1 to 9999 (UTC), as PostgreSQL reads them in ISO form. */
    private static final Instant FIRST_STORABLE = LocalDateTime.of(1, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
    private static final Instant AFTER_LAST_STORABLE = LocalDateTime.of(10_000, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);

    private static Instant at(JsonNode execution) {
        for (String field : new String[] { "updated_at", "created_at" }) {
            String text = text(execution.path(field));
            if (text != null && !text.isBlank()) {
                Instant at;
                try {
                    at = OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException notOffset) {
                    try {
                        at = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException ignored) {
                        continue;
                    }
                }
                if (!at.isBefore(FIRST_STORABLE) && at.isBefore(AFTER_LAST_STORABLE)) {
                    return at;
                }
                // a time no column of ours stores in ISO form (year 0, or past 9999): not this execution's; the next field
            }
        }
        return Instant.now();
    }

    private static Integer providerCode(JsonNode code) {
        if (code.isIntegralNumber() && code.canConvertToInt()) {
            return code.asInt();
        }
        String text = text(code);
        return text != null && text.matches("-?\\d{1,9}") ? Integer.valueOf(text) : null;
    }

    /** A scalar as text; null for objects, arrays, null and missing values. */
    private static String text(JsonNode value) {
        return value.isValueNode() && !value.isNull() ? value.asString() : null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static UUID uuid(String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value.trim());
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }
}
