package ai.calling.webhook.internal;

import java.time.Duration;

/**
 * How busy the journal's writer has been lately: an exponentially weighted average, over about
 * {@code timeConstant}, of the signal that is 1 while a batch is being written and 0 otherwise.
 * A burst that keeps the writer writing drives it towards 1; a steady load well within the
 * writer's capacity leaves it near its duty cycle (a 2 ms write every 10 ms: 0.2); idleness decays
 * it to 0. Plain arithmetic on nanosecond timestamps, so it is tested without a clock or a server.
 */
final class WriterLoad {

    private final double timeConstantNanos;
    private double load;
    private long lastEnd;

    WriterLoad(Duration timeConstant, long nowNanos) {
        this.timeConstantNanos = timeConstant.toNanos();
        this.lastEnd = nowNanos;
    }

    /** A batch was written from {@code startNanos} to {@code endNanos}. */
    synchronized void wrote(long startNanos, long endNanos) {
        long idle = Math.max(0, startNanos - lastEnd);
        long busy = Math.max(0, endNanos - Math.max(startNanos, lastEnd));
        load *= Math.exp(-idle / timeConstantNanos);
        load = 1 - (1 - load) * Math.exp(-busy / timeConstantNanos);
        lastEnd = Math.max(lastEnd, endNanos);
    }

    /** The load at {@code nowNanos}: decayed over the time since the last write ended. */
    synchronized double at(long nowNanos) {
        return load * Math.exp(-Math.max(0, nowNanos - lastEnd) / timeConstantNanos);
    }
}
