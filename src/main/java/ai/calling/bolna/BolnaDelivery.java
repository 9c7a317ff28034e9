package ai.calling.bolna;

import ai.calling.bolna.internal.StorableJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook body as it is to be stored: made storable as PostgreSQL jsonb (NUL and lone surrogate
 * escapes taken out, {@link StorableJson}), with the execution id, Bolna agent id and status it
 * carries, read once for the journal's columns.
 *
 * @param body        the JSON to store (the body as it came, unless it had to be cleaned)
 * @param executionId {@code id}, else {@code execution_id}
 * @param agentId     {@code agent_id}, or null
 * @param status      {@code status}, or null
 */
public record BolnaDelivery(String body, String executionId, String agentId, String status) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Why a body cannot be a delivery. */
    public static final class NotADelivery extends IllegalArgumentException {
        NotADelivery(String reason) {
            super(reason);
        }
    }

    /** Reads a webhook body; throws {@link NotADelivery} (saying why) when it is not an execution object. */
    public static BolnaDelivery read(String body) {
        JsonNode execution;
        try {
            execution = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new NotADelivery("The body is not JSON");
        }
        if (execution == null || !execution.isObject()) {
            throw new NotADelivery("The body is not a JSON object");
        }
        String stored = body;
        if (StorableJson.needsCleaning(body)) {
            execution = StorableJson.clean(execution);
            stored = JSON.writeValueAsString(execution);
        }
        String executionId = BolnaExecution.id(execution).orElseThrow(() -> new NotADelivery("The execution has no id"));
        return new BolnaDelivery(stored, executionId, scalar(execution.path("agent_id")), scalar(execution.path("status")));
    }

    private static String scalar(JsonNode value) {
        return value.isValueNode() && !value.isNull() ? value.asString() : null;
    }
}
