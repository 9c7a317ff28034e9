package ai.calling.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WriterLoadTest {

    static final long MS = 1_000_000;

    @Test
    void aWriterThatNeverStopsIsFullyLoaded() {
        WriterLoad load = new WriterLoad(Duration.ofMillis(250), 0);
        long t = 0;
        for (int i = 0; i < 200; i++) {
            load.wrote(t, t + 5 * MS);
            t += 5 * MS;
        }
        assertThat(load.at(t)).isGreaterThan(0.95);
    }

    @Test
    void aSteadyLoadSettlesAtItsDutyCycle() {
        WriterLoad load = new WriterLoad(Duration.ofMillis(250), 0);
        long t = 0;
        for (int i = 0; i < 500; i++) {
            load.wrote(t, t + 2 * MS);
            t += 10 * MS;
        }
        assertThat(load.at(t)).isCloseTo(0.2, within(0.05));
    }

    @Test
    void idlenessDecaysTheLoad() {
        WriterLoad load = new WriterLoad(Duration.ofMillis(250), 0);
        load.wrote(0, 1000 * MS);
        assertThat(load.at(1000 * MS)).isGreaterThan(0.95);
        assertThat(load.at(1250 * MS)).isCloseTo(Math.exp(-1), within(0.05));
        assertThat(load.at(3000 * MS)).isLessThan(0.01);
    }

    @Test
    void overlappingOrOutOfOrderReportsNeverCountTimeTwice() {
        WriterLoad load = new WriterLoad(Duration.ofMillis(250), 0);
        load.wrote(0, 100 * MS);
        double once = load.at(100 * MS);
        load.wrote(50 * MS, 100 * MS);
        assertThat(load.at(100 * MS)).isEqualTo(once);
    }
}
