package ai.calling.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Phone normalisation to E.164: plain logic, no Spring. */
@Tag("unit")
class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+1 415 555 0123 | US | +14155550123",
            "(415) 555-0123 | US | +14155550123",
            "415.555.0123 | US | +14155550123",
            "  +14155550123  | IN | +14155550123",
            "020 7946 0958 | GB | +442079460958",
            "+44 (0)20 7946 0958 | US | +442079460958",
            "98765 43210 | IN | +919876543210",
            "0049 30 901820 | DE | +4930901820" })
    void numbersInAnyCommonWritingBecomeE164(String raw, String region, String e164) {
        assertThat(PhoneNumbers.toE164(raw, region)).contains(e164);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "   ", "12", "not a number", "+1 555 0123", "+999 1234567", "4155550123456789012" })
    void whatIsNotADiallableNumberIsRefused(String raw) {
        assertThat(PhoneNumbers.toE164(raw, "US")).isEmpty();
    }

    @Test
    void aRequiredNumberNamesTheFieldInItsProblem() {
        assertThatThrownBy(() -> PhoneNumbers.requireE164("phoneNumber", "12", "US"))
                .isInstanceOf(ApiException.class).hasMessageContaining("valid phone number");
    }
}
