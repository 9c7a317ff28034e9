package ai.calling.common;

/**
 * Text from outside (a provider's payload) made storable: PostgreSQL's text types cannot hold NUL,
 * and a VARCHAR(n) column refuses more than n characters. Used where a value must be kept rather
 * than refused, such as a webhook that has already been acknowledged.
 */
public final class Text {

    private Text() {
    }

    /** {@code value} without NUL characters and cut to at most {@code maxCodePoints}; null stays null. */
    public static String storable(String value, int maxCodePoints) {
        if (value == null) {
            return null;
        }
        String clean = value.indexOf('\0') < 0 ? value : value.replace("\0", "");
        if (clean.length() <= maxCodePoints || clean.codePointCount(0, clean.length()) <= maxCodePoints) {
            return clean;
        }
        return clean.substring(0, clean.offsetByCodePoints(0, maxCodePoints));
    }
}
