package ai.calling.webhook.internal;

import java.time.Duration;

/**
 * The highest rate measured lately: a measurement above the current value replaces it, one below leaves it,
 * and the value halves every {@code halfLife} without a new high. What processing applies at full speed is
 * read from this, not from an average of its batches: under a load near its capacity every batch is slowed
 * by the acknowledgements sharing the cores, an average drifts down to the arrival rate, and a steady stream
 * it keeps up with was then taken for a burst (arriving at 1.5 times the average) and yielded to, up to the
 * lag bound (measured at 1,500 a second: 933 applied a second, p99 35.9 s). Plain arithmetic on nanosecond
 * timestamps, tested without a clock or a server.
 */
final class DecayingPeak {

    private final double halfLifeNanos;
    private double peak = Double.NaN;
    private long at;

    DecayingPeak(Duration halfLife) {
        this.halfLifeNanos = halfLife.toNanos();
    }

    /** A rate measured at {@code nowNanos}. */
    synchronized void measured(double rate, long nowNanos) {
        if (Double.isNaN(peak) || rate >= value(nowNanos)) {
            peak = rate;
            at = nowNanos;
        }
    }

    /** The value at {@code nowNanos}; NaN until the first measurement. */
    synchronized double value(long nowNanos) {
        if (Double.isNaN(peak)) {
            return Double.NaN;
        }
        return peak * Math.pow(0.5, Math.max(0, nowNanos - at) / halfLifeNanos);
    }
}
