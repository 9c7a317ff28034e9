package ai.calling.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** Compares what we send Bolna for an agent with what Bolna holds, field by field. */
final class BolnaDrift {

    /** Drifted paths that Bolna's PATCH can carry, and the PATCH key each goes under. */
    private static final List<String[]> PATCHABLE = List.of(
            new String[] { "agent_name", "agent_name" },
            new String[] { "agent_welcome_message", "agent_welcome_message" },
            new String[] { "webhook_url", "webhook_url" },
            new String[] { "agent_prompts.task_1.system_prompt", "agent_prompts" },
            new String[] { "tasks[0].tools_config.synthesizer", "synthesizer" });

    private BolnaDrift() {
    }

    /**
     * Adds to {@code drifted} the path of every leaf of {@code expected} whose value differs at
     * {@code actual}; numbers compare by value, a leaf {@code actual} lacks is not a difference.
     */
    static void compare(JsonNode expected, JsonNode actual, String path, List<String> drifted) {
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
    static boolean patchable(List<String> drifted) {
        return drifted.stream().allMatch(path -> patchKey(path) != null);
    }

    /** The PATCH body that repairs the drifted paths (all {@link #patchable}), with the expected values. */
    static Map<String, Object> patch(JsonNode expected, List<String> drifted) {
        JsonNode config = expected.path("agent_config");
        Map<String, JsonNode> values = Map.of("agent_name", config.path("agent_name"),
                "agent_welcome_message", config.path("agent_welcome_message"),
                "webhook_url", config.path("webhook_url"),
                "agent_prompts", expected.path("agent_prompts"),
                "synthesizer", config.path("tasks").path(0).path("tools_config").path("synthesizer"));
        Map<String, Object> patch = new LinkedHashMap<>();
        drifted.forEach(path -> patch.put(patchKey(path), values.get(patchKey(path))));
        return patch;
    }

    private static String patchKey(String path) {
        for (String[] patchable : PATCHABLE) {
            if (path.equals(patchable[0]) || path.startsWith(patchable[0] + ".")) {
                return patchable[1];
            }
        }
        return null;
    }
}
