package ai.calling.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DecayingPeakTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void nothingMeasuredIsNaN() {
        assertThat(new DecayingPeak(Duration.ofMinutes(10)).value(0)).isNaN();
    }

    @Test
    void slowerBatchesUnderLoadDoNotPullTheCapacityDown() {
        DecayingPeak capacity = new DecayingPeak(Duration.ofMinutes(10));
        capacity.measured(2500, 0);
        long t = 0;
        for (int i = 0; i < 600; i++) {
            t += SECOND / 10;
            capacity.measured(950, t); // a minute of batches slowed by the acknowledgements beside them
        }
        assertThat(capacity.value(t)).as("a minute into a ten-minute half-life").isCloseTo(2500 * Math.pow(0.5, 0.1),
                within(1.0));
        assertThat(capacity.value(t)).isGreaterThan(1500 * 1.5);
    }

    @Test
    void aNewHighReplacesThePeakAndWithoutOneItHalvesEveryHalfLife() {
        DecayingPeak capacity = new DecayingPeak(Duration.ofMinutes(10));
        capacity.measured(1000, 0);
        capacity.measured(3000, SECOND);
        assertThat(capacity.value(SECOND)).isEqualTo(3000);
        assertThat(capacity.value(SECOND + 600 * SECOND)).isCloseTo(1500, within(0.001));
        assertThat(capacity.value(SECOND + 1200 * SECOND)).isCloseTo(750, within(0.001));
        // once decayed below it, a lower measurement is the new peak
        capacity.measured(1000, SECOND + 1200 * SECOND);
        assertThat(capacity.value(SECOND + 1200 * SECOND)).isEqualTo(1000);
    }
}
