package ai.calling.campaign.internal;

import java.util.List;
import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * A number's own time zone, when libphonenumber's time-zone mapper gives exactly one (a US number
 * maps to its area code's zone; a number of a country spanning several zones without a finer
 * mapping gives several, and then the campaign's zone is used).
 */
public final class RecipientZones {

    private static final PhoneNumberUtil NUMBERS = PhoneNumberUtil.getInstance();
    private static final PhoneNumberToTimeZonesMapper ZONES = PhoneNumberToTimeZonesMapper.getInstance();

    private RecipientZones() {
    }

    public static Optional<String> zoneOf(String e164) {
        try {
            List<String> zones = ZONES.getTimeZonesForNumber(NUMBERS.parse(e164, null));
            return zones.size() == 1 && !PhoneNumberToTimeZonesMapper.getUnknownTimeZone().equals(zones.getFirst())
                    ? Optional.of(zones.getFirst()) : Optional.empty();
        } catch (NumberParseException notANumber) {
            return Optional.empty();
        }
    }
}
