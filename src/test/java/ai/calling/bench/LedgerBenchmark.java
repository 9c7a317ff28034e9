package ai.calling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.billing.CreditLedger;
import ai.calling.support.IntegrationTest;

/**
 * Ledger throughput: purchases and usage debits through CreditLedger, 8 threads, for a fixed time,
 * on one user (every movement contends for the same row lock) and spread over 1,000 users.
 * Not part of the suite (the name does not match Surefire's patterns): run by bench/ledger-throughput.sh.
 */
@IntegrationTest
class LedgerBenchmark {

    static final int THREADS = 8;
    static final long SECONDS = Long.getLong("bench.seconds", 10);

    @Autowired
    CreditLedger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void throughput() throws Exception {
        List<UUID> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(user());
        }
        UUID one = user();
        double single = run(List.of(one));
        double spread = run(many);
        System.out.printf("ledger_movements_per_s_one_user=%.0f%n", single);
        System.out.printf("ledger_movements_per_s_1000_users=%.0f%n", spread);
        Long mismatches = jdbc.queryForObject("SELECT sum(inconsistent_records) FROM validate_user_data_consistency() "
                + "WHERE check_name LIKE 'credits_%'", Long.class);
        System.out.println("ledger_invariant_violations=" + mismatches);
    }

    private double run(List<UUID> users) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    UUID user = users.get((int) ((thread * 7919 + n) % users.size()));
                    ledger.purchase(user, 10, "pi_bench_" + UUID.randomUUID(), "bench purchase");
                    n++;
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(SECONDS + 30, TimeUnit.SECONDS);
        return done.get() / (double) SECONDS;
    }

    private UUID user() {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO users (id, email, name, credits) VALUES (?, ?, 'Bench', 0)", id, id + "@bench.test");
        return id;
    }
}
