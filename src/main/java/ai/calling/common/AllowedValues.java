package ai.calling.common;

import java.util.Collection;

/** Enum-like filters and fields: a value outside the listed ones is a 400 naming them, never an empty result. */
public final class AllowedValues {

    private AllowedValues() {
    }

    /** The value when it is null (no filter) or one of {@code allowed}; otherwise a 400 for {@code field}. */
    public static String check(String field, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw ApiException.invalidField(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }
}
