package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.IntegrationTest;

/** Customer references CUST-YYYY-NNNN: distinct, well formed and gapless per year, even under concurrency. */
@IntegrationTest
class SchemaCustomerReferenceTest {

    static final String INSERT = "INSERT INTO customers (user_id, name) VALUES (?, ?) RETURNING customer_reference_number";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void fiftyConcurrentInsertsGetFiftyDistinctGaplessReferences() throws Exception {
        UUID user = new SchemaFixtures(jdbc).user();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> references;
        try {
            List<Callable<String>> inserts = IntStream.range(0, 50).<Callable<String>>mapToObj(i -> () -> {
                start.await();
                return jdbc.queryForObject(INSERT, String.class, user, "Customer " + i);
            }).toList();
            List<Future<String>> futures = inserts.stream().map(pool::submit).toList();
            start.countDown();
            references = futures.stream().map(SchemaCustomerReferenceTest::join).toList();
        } finally {
            pool.shutdown();
        }

        String year = String.valueOf(Year.now(ZoneOffset.UTC).getValue());
        assertThat(references).doesNotHaveDuplicates().hasSize(50)
                .allSatisfy(ref -> assertThat(ref).matches("CUST-" + year + "-\\d{4,}"));
        List<Integer> numbers = references.stream().map(ref -> Integer.parseInt(ref.substring(10))).sorted().toList();
        assertThat(numbers.getLast() - numbers.getFirst()).isEqualTo(49);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM customers WHERE user_id = ?", Long.class, user)).isEqualTo(50);
    }

    @Test
    void aRolledBackInsertLeavesNoGap() {
        UUID user = new SchemaFixtures(jdbc).user();
        String before = jdbc.queryForObject(INSERT, String.class, user, "First");

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.queryForObject(INSERT, String.class, user, "Rolled back");
            throw new IllegalStateException("abort");
        })).hasMessage("abort");
        String after = jdbc.queryForObject(INSERT, String.class, user, "Second");

        assertThat(Integer.parseInt(after.substring(10))).isEqualTo(Integer.parseInt(before.substring(10)) + 1);
    }

    private static String join(Future<String> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
