package ai.calling.bolna.internal;

import java.util.List;
import java.util.Map;

import ai.calling.bolna.AgentPatch;
import ai.calling.bolna.AgentSpec;
import tools.jackson.databind.JsonNode;

/** Compares what we send Bolna for an agent with what Bolna holds, field by field. */
public final class BolnaDrift {

    /** Drifted paths that Bolna's PATCH can carry. */
    private static final List<String> PATCHABLE = List.of("agent_name", "agent_welcome_message", "webhook_url",
            "agent_prompts.task_1.system_prompt", "tasks[0].tools_config.synthesizer");

    private BolnaDrift() {
    }

    /**
     * Adds to {@code drifted} the path of every leaf of {@code expected} whose value differs at
     * {@code actual}; numbers compare by value, a leaf {@code actual} lacks is not a difference.
     */
    public static void compare(JsonNode expected, JsonNode actual, String path, List<String> drifted) {
        if (actual == null || actual.isMissingNode()) {
            return;
        }
        if (expected.isObject()) {
            expected.properties().forEach(field -> compare(field.getValue(), actual.get(field.getKey()),
                    path.isEmpty() ? field.getKey() : path + "." + field.getKey(), drifted));
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), path + "[" + i + "]", drifted);
            }
        } else if (!same(expected, actual)) {
            drifted.add(path);
        }
    }

    private static boolean same(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isNull() || actual.isNull()) {
            return expected.isNull() && actual.isNull();
        }
        return actual.isValueNode() && expected.asString().equals(actual.asString());
    }

    /** Whether Bolna's PATCH can repair every drifted path. */
    public static boolean patchable(List<String> drifted) {
        return drifted.stream().allMatch(path -> patchable(path) != null);
    }

    /** The PATCH body that repairs the drifted paths (all {@link #patchable}) with the expected values. */
    public static Map<String, Object> patch(AgentSpec expected, List<String> drifted) {
        boolean name = false;
        boolean welcome = false;
        boolean webhook = false;
        boolean prompt = false;
        boolean voice = false;
        for (String path : drifted) {
            switch (patchable(path)) {
                case "agent_name" -> name = true;
                case "agent_welcome_message" -> welcome = true;
                case "webhook_url" -> webhook = true;
                case "agent_prompts.task_1.system_prompt" -> prompt = true;
                default -> voice = true;
            }
        }
        return BolnaAgentPayload.patch(new AgentPatch(name ? expected.name() : null,
                welcome ? expected.welcomeMessage() : null, webhook ? expected.webhookUrl() : null,
                prompt ? expected.systemPrompt() : null, voice ? BolnaAgentPayload.synthesizer(expected) : null));
    }

    private static String patchable(String path) {
        return PATCHABLE.stream().filter(p -> path.equals(p) || path.startsWith(p + ".")).findFirst().orElse(null);
    }
}
