package ai.calling.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DecayingPeakTest {

    @Test
    void nothingMeasuredIsNaN() {
        assertThat(new DecayingPeak(10_000).value()).isNaN();
    }

    @Test
    void slowerBatchesUnderLoadDoNotPullTheCapacityDownAtOnce() {
        DecayingPeak capacity = new DecayingPeak(10_000);
        capacity.measured(2500);
        for (int i = 0; i < 600; i++) {
            capacity.measured(950); // a minute of batches slowed by the acknowledgements beside them
        }
        assertThat(capacity.value()).isCloseTo(2500 * Math.pow(0.5, 0.06), within(1.0));
        assertThat(capacity.value()).as("1,500 a second is no burst").isGreaterThan(1500 * 1.5);
    }

    @Test
    void aNewHighReplacesThePeakAndWithoutOneItHalvesEveryHalfLifeOfMeasurements() {
        DecayingPeak capacity = new DecayingPeak(10_000);
        capacity.measured(1000);
        capacity.measured(3000);
        assertThat(capacity.value()).isEqualTo(3000);
        for (int i = 0; i < 10_000; i++) {
            capacity.measured(100);
        }
        assertThat(capacity.value()).isCloseTo(1500, within(0.01));
        for (int i = 0; i < 30_000; i++) {
            capacity.measured(1000);
        }
        assertThat(capacity.value()).as("decayed below the measurements, they are the peak").isEqualTo(1000);
    }
}
