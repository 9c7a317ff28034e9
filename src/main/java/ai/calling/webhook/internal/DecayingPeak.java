package ai.calling.webhook.internal;

/**
 * The highest rate measured lately: a measurement above the current value replaces it, and each measurement
 * below it lowers it a little, so that it halves over {@code halfLife} measurements without a new high. What
 * processing applies at full speed is read from this, not from an average of its batches: under a load near
 * its capacity every batch is slowed by the acknowledgements sharing the cores, an average drifts down to the
 * arrival rate, and a steady stream it keeps up with was then taken for a burst (arriving at 1.5 times the
 * average) and yielded to, up to the lag bound (measured at 1,500 a second: 933 applied a second, p99 35.9 s).
 * It decays by measurements, not by time: after an idle hour the next load is judged against the speed
 * measured before it, not against a value halved six times. Plain arithmetic, tested without a server.
 */
final class DecayingPeak {

    private final double factor;
    private double peak = Double.NaN;

    DecayingPeak(int halfLife) {
        this.factor = Math.pow(0.5, 1.0 / halfLife);
    }

    /** A rate measured. */
    synchronized void measured(double rate) {
        peak = Double.isNaN(peak) ? rate : Math.max(rate, peak * factor);
    }

    /** The value now; NaN until the first measurement. */
    synchronized double value() {
        return peak;
    }
}
