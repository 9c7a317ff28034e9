package ai.calling.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The arithmetic of holds and charges: started minutes, 64-bit, never above the hold. No Spring. */
@Tag("unit")
class HoldTermsTest {

    @Test
    void aHoldIsTheHardLimitInStartedMinutesTimesThePrice() {
        assertThat(HoldTerms.of(600, 1).amount()).isEqualTo(10);
        assertThat(HoldTerms.of(601, 1).amount()).isEqualTo(11);
        assertThat(HoldTerms.of(30, 3).amount()).isEqualTo(3);
        assertThat(HoldTerms.of(3600, 100).amount()).isEqualTo(6000);
        assertThat(HoldTerms.of(600, 0).amount()).isZero();
        assertThatThrownBy(() -> HoldTerms.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChargeCountsStartedMinutesAndNeverExceedsTheHold() {
        HoldTerms terms = HoldTerms.of(600, 2);
        assertThat(terms.charge(0)).isEqualTo(new HoldTerms.Charge(0, 0, 0));
        assertThat(terms.charge(1)).isEqualTo(new HoldTerms.Charge(1, 1, 2));
        assertThat(terms.charge(60)).isEqualTo(new HoldTerms.Charge(60, 1, 2));
        assertThat(terms.charge(61)).isEqualTo(new HoldTerms.Charge(61, 2, 4));
        assertThat(terms.charge(600)).isEqualTo(new HoldTerms.Charge(600, 10, 20));
        // durations beyond the hard limit (a provider's 1e12, 2^31 and more) are bounded by it
        assertThat(terms.charge(1_000_000_000_000L)).isEqualTo(new HoldTerms.Charge(600, 10, 20));
        assertThat(terms.charge(1L << 31)).isEqualTo(new HoldTerms.Charge(600, 10, 20));
        assertThat(terms.charge(Long.MAX_VALUE)).isEqualTo(new HoldTerms.Charge(600, 10, 20));
        assertThat(terms.charge(-5)).isEqualTo(new HoldTerms.Charge(0, 0, 0));
    }

    @Test
    void aChargeKeepsThePriceOfTheHoldItWasDialledUnder() {
        HoldTerms dialledAtThree = new HoldTerms(30, 3, 600);
        assertThat(dialledAtThree.charge(125).credits()).isEqualTo(9);
    }
}
