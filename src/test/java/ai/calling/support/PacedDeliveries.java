package ai.calling.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A steady flood of Bolna deliveries for an agent of another platform (stored, then ignored when
 * applied: cheap to apply), and the age of the oldest one not yet applied: what the webhook
 * processing tests offer and watch.
 */
public final class PacedDeliveries {

    private PacedDeliveries() {
    }

    /**
     * The webhook processing of the tests that flood it: deliveries signed with {@code secret}, processing that
     * yields to a flood with the smallest share (1%) whatever the journal's load, up to {@code maxLag}.
     */
    public static void yieldingProcessing(DynamicPropertyRegistry registry, String secret, String maxLag) {
        registry.add("app.bolna.webhook-secret", () -> secret);
        registry.add("app.bolna.webhook-processing-share", () -> "0.01");
        registry.add("app.bolna.webhook-max-lag", () -> maxLag);
        registry.add("app.bolna.webhook-yield-above-load", () -> "0");
    }

    /** What a flood posted in all, and the oldest unapplied delivery's age in seconds at each sample. */
    public record Flood(int posted, List<Double> oldestAges) {
    }

    /** A step repeated beside the flood until it ends (e.g. what the dispatcher does every round). */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** {@link #flood(Http, JdbcTemplate, String, String, int, Duration, Duration, Step)} with nothing beside it. */
    public static Flood flood(Http http, JdbcTemplate jdbc, String secret, String run, int threads, Duration interval,
            Duration length) throws Exception {
        return flood(http, jdbc, secret, run, threads, interval, length, null);
    }

    /**
     * For {@code length}: {@code threads} posters, each one delivery every {@code interval}, the oldest
     * unapplied delivery's age sampled meanwhile ({@link #oldestAges}), and {@code beside} (when not null)
     * repeated until the end.
     */
    public static Flood flood(Http http, JdbcTemplate jdbc, String secret, String run, int threads, Duration interval,
            Duration length, Step beside) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        long until = System.nanoTime() + length.toNanos();
        Future<?> besides = pool.submit(() -> {
            while (beside != null && System.nanoTime() < until) {
                beside.run();
            }
            return null;
        });
        List<Future<Integer>> posters = post(pool, http, secret, run, threads, interval, until);
        List<Double> ages;
        try {
            ages = oldestAges(jdbc, run, until);
        } finally {
            pool.shutdown();
        }
        besides.get();
        return new Flood(total(posters), ages);
    }

    /**
     * Posts from {@code threads} tasks of {@code pool}, each one delivery every {@code interval},
     * until {@code untilNanos}; each future answers how many its task posted.
     */
    private static List<Future<Integer>> post(ExecutorService pool, Http http, String secret, String run, int threads,
            Duration interval, long untilNanos) {
        List<Future<Integer>> posters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            posters.add(pool.submit(() -> {
                int count = 0;
                long next = System.nanoTime();
                while (System.nanoTime() < untilNanos) {
                    http.post("/api/webhooks/bolna?token=" + secret, """
                            {"id":"%s%d-%d","agent_id":"bolna-not-ours","status":"ringing"}"""
                            .formatted(run, thread, count++));
                    next += interval.toNanos();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                return count;
            }));
        }
        return posters;
    }

    /** The age in seconds of the run's oldest unapplied delivery, every 250 ms from 2 s in until {@code untilNanos}. */
    private static List<Double> oldestAges(JdbcTemplate jdbc, String run, long untilNanos) throws InterruptedException {
        List<Double> ages = new ArrayList<>();
        Thread.sleep(2000);
        while (System.nanoTime() < untilNanos) {
            ages.add(jdbc.queryForObject("""
                    SELECT COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(received_at)), 0)
                      FROM bolna_webhook_events WHERE state = 'received' AND execution_id LIKE ?""", Double.class,
                    run + "%"));
            Thread.sleep(250);
        }
        return ages;
    }

    /** How many the posters posted in all. */
    private static int total(List<Future<Integer>> posters) throws Exception {
        int posted = 0;
        for (Future<Integer> poster : posters) {
            posted += poster.get();
        }
        return posted;
    }
}
