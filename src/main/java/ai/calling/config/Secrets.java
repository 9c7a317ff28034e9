package ai.calling.config;

/** Masks secrets wherever configuration is printed (toString of the property records, logs). */
public final class Secrets {

    private Secrets() {
    }

    public static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    public static String mask(String value) {
        return isSet(value) ? "****" : "<unset>";
    }
}
