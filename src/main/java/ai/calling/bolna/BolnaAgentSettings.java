package ai.calling.bolna;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;

import ai.calling.common.ApiException;

/**
 * The Bolna settings a tenant may choose for an agent, and their ranges: everything else Bolna
 * accepts (where the LLM is reached, which provider bills us, how long a call may last) is ours to
 * set. {@code call_terminate} in particular comes from the agent's maximum call duration, never from
 * {@code taskConfig}. A key outside the list, or a value outside its range, is a 400 naming it.
 */
public final class BolnaAgentSettings {

    static final Map<String, Rule> LLM = ordered(
            "model", text("^[A-Za-z0-9._:-]{1,64}$", "a model name of letters, digits and . _ : -"),
            "max_tokens", whole(1, 1000),
            "temperature", decimal("0", "2"),
            "top_p", decimal("0", "1"),
            "min_p", decimal("0", "1"),
            "top_k", whole(0, 100),
            "presence_penalty", decimal("-2", "2"),
            "frequency_penalty", decimal("-2", "2"));

    static final Map<String, Rule> TASK = ordered(
            "hangup_after_silence", whole(1, 60),
            "incremental_delay", whole(0, 5000),
            "number_of_words_for_interruption", whole(0, 20),
            "hangup_after_LLMCall", flag(),
            "backchanneling", flag(),
            "voicemail", flag(),
            "ambient_noise", flag(),
            "ambient_noise_track", oneOf(Set.of("office-ambience", "coffee-shop", "call-center")));

    private BolnaAgentSettings() {
    }

    /** Throws one 400 listing every key of {@code llmConfig} and {@code taskConfig} that is not allowed. */
    public static void check(Map<String, Object> llmConfig, Map<String, Object> taskConfig) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        check("llmConfig", llmConfig, LLM, errors);
        check("taskConfig", taskConfig, TASK, errors);
        if (!errors.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Validation failed",
                    String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()), errors,
                    Map.of());
        }
    }

    private static void check(String field, Map<String, Object> settings, Map<String, Rule> allowed,
            List<ApiException.FieldError> errors) {
        if (settings == null) {
            return;
        }
        settings.forEach((key, value) -> {
            Rule rule = allowed.get(key);
            String problem = rule == null ? "is not a setting you may choose (allowed: " + String.join(", ", allowed.keySet())
                    + ")" : rule.problem(value);
            if (problem != null) {
                errors.add(new ApiException.FieldError(field + "." + key, problem));
            }
        });
    }

    /** What is wrong with a value, or null when it is allowed. */
    @FunctionalInterface
    interface Rule {
        String problem(Object value);
    }

    private static Rule whole(long min, long max) {
        return value -> value instanceof Integer || value instanceof Long || value instanceof BigInteger
                ? within(new BigDecimal(value.toString()), BigDecimal.valueOf(min), BigDecimal.valueOf(max))
                : "must be a whole number from " + min + " to " + max;
    }

    private static Rule decimal(String min, String max) {
        return value -> value instanceof Number number && Double.isFinite(number.doubleValue())
                ? within(new BigDecimal(number.toString()), new BigDecimal(min), new BigDecimal(max))
                : "must be a number from " + min + " to " + max;
    }

    private static String within(BigDecimal value, BigDecimal min, BigDecimal max) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0 ? null
                : "must be from " + min.toPlainString() + " to " + max.toPlainString();
    }

    private static Rule flag() {
        return value -> value instanceof Boolean ? null : "must be true or false";
    }

    private static Rule text(String regex, String what) {
        Pattern pattern = Pattern.compile(regex);
        return value -> value instanceof String s && pattern.matcher(s).matches() ? null : "must be " + what;
    }

    private static Rule oneOf(Set<String> values) {
        return value -> value instanceof String s && values.contains(s) ? null
                : "must be one of " + String.join(", ", values.stream().sorted().toList());
    }

    private static Map<String, Rule> ordered(Object... keysAndRules) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (int i = 0; i < keysAndRules.length; i += 2) {
            rules.put((String) keysAndRules[i], (Rule) keysAndRules[i + 1]);
        }
        return Collections.unmodifiableMap(rules);
    }
}
