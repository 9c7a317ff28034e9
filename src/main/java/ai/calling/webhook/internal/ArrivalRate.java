package ai.calling.webhook.internal;

import java.time.Duration;

/**
 * Events per second over about {@code timeConstant}: a count that decays exponentially, so a steady
 * stream of r a second settles at r, a burst shows within a time constant, and idleness decays it to
 * 0. Plain arithmetic on nanosecond timestamps, so it is tested without a clock or a server.
 */
final class ArrivalRate {

    private final double timeConstantNanos;
    private double weight;
    private long last;

    ArrivalRate(Duration timeConstant, long nowNanos) {
        this.timeConstantNanos = timeConstant.toNanos();
        this.last = nowNanos;
    }

    /** {@code events} arrived at {@code nowNanos}. */
    synchronized void arrived(int events, long nowNanos) {
        weight = decayed(nowNanos) + events;
        last = Math.max(last, nowNanos);
    }

    /** The rate at {@code nowNanos}, events per second. */
    synchronized double perSecond(long nowNanos) {
        return decayed(nowNanos) / timeConstantNanos * 1e9;
    }

    private double decayed(long nowNanos) {
        return weight * Math.exp(-Math.max(0, nowNanos - last) / timeConstantNanos);
    }
}
