package ai.calling.integration.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter: the delay after the n-th failed attempt is
 * {@code first × 4^(n-1)}, at most {@code max}, multiplied by a random factor in [0.75, 1.25), so
 * that deliveries failing together do not come back together. Each delay is longer than the one
 * before (until the cap), whatever the jitter: 1.25 < 4 × 0.75.
 */
public record RetrySchedule(Duration first, Duration max) {

    public Duration delayAfter(int failedAttempts) {
        double base = first.toMillis() * Math.pow(4, Math.max(0, failedAttempts - 1));
        double capped = Math.min(base, max.toMillis());
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }
}
