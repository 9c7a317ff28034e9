package ai.calling.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ArrivalRateTest {

    static final long MS = 1_000_000;

    @Test
    void aSteadyStreamSettlesAtItsRate() {
        ArrivalRate rate = new ArrivalRate(Duration.ofMillis(250), 0);
        long t = 0;
        for (int i = 0; i < 2000; i++) {
            t += 2 * MS;
            rate.arrived(3, t); // 1,500 a second, three at a time
        }
        assertThat(rate.perSecond(t)).isCloseTo(1500, within(50.0));
    }

    @Test
    void aBurstShowsWithinATimeConstantAndIdlenessDecaysIt() {
        ArrivalRate rate = new ArrivalRate(Duration.ofMillis(250), 0);
        long t = 0;
        for (int i = 0; i < 250; i++) {
            t += MS;
            rate.arrived(6, t); // 6,000 a second for 250 ms
        }
        assertThat(rate.perSecond(t)).isCloseTo(6000 * (1 - Math.exp(-1)), within(100.0));
        assertThat(rate.perSecond(t + 250 * MS)).isCloseTo(rate.perSecond(t) * Math.exp(-1), within(10.0));
        assertThat(rate.perSecond(t + 3000 * MS)).isLessThan(1);
    }

    @Test
    void aReportOutOfOrderNeitherGrowsNorLosesTheCount() {
        ArrivalRate rate = new ArrivalRate(Duration.ofMillis(250), 0);
        rate.arrived(100, 100 * MS);
        rate.arrived(100, 50 * MS);
        assertThat(rate.perSecond(100 * MS)).isCloseTo(200 / 0.25, within(1.0));
    }
}
