package ai.calling.bolna.internal;

import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A delivery's JSON made storable as PostgreSQL jsonb, which refuses the escape {@code \u0000} and
 * unpaired surrogate escapes anywhere in a string or a key. Such characters are dropped (NUL) or
 * replaced by U+FFFD (lone surrogates); everything else is kept as it came.
 */
public final class StorableJson {

    private static final Pattern UNSTORABLE_ESCAPE = Pattern.compile("\\\\u(0000|[dD][89a-fA-F])");

    private StorableJson() {
    }

    /** Whether the raw body may hold something jsonb refuses (cheap: most bodies have no \\u escape at all). */
    public static boolean needsCleaning(String body) {
        return body.contains("\\u") && UNSTORABLE_ESCAPE.matcher(body).find();
    }

    public static JsonNode clean(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node.isString()) {
            return nodes.stringNode(text(node.asString()));
        }
        if (node.isObject()) {
            ObjectNode object = nodes.objectNode();
            node.properties().forEach(field -> object.set(text(field.getKey()), clean(field.getValue())));
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = nodes.arrayNode();
            node.forEach(element -> array.add(clean(element)));
            return array;
        }
        return node;
    }

    static String text(String value) {
        StringBuilder clean = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            boolean lone = Character.isSurrogate(c) && !pairedHigh
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1)));
            if (c == '\0' || lone) {
                if (clean == null) {
                    clean = new StringBuilder(value.length()).append(value, 0, i);
                }
                if (lone) {
                    clean.append('\uFFFD');
                }
            } else if (clean != null) {
                clean.append(c);
            }
        }
        return clean == null ? value : clean.toString();
    }
}
