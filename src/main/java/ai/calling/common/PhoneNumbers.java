package ai.calling.common;

import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** Phone numbers in, E.164 out (libphonenumber); numbers without a country code take the default region. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** The E.164 form of a valid number, or empty when it cannot be parsed or cannot exist. */
    public static Optional<String> toE164(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse(raw.trim(), defaultRegion);
            return UTIL.isValidNumber(number)
                    ? Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164))
                    : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #toE164} but a 400 naming {@code field} when the number is not usable. */
    public static String requireE164(String field, String raw, String defaultRegion) {
        return toE164(raw, defaultRegion).orElseThrow(() -> ApiException.invalidField(field,
                "is not a valid phone number (use international format, e.g. +14155550123)"));
    }
}
