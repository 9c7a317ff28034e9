package ai.calling.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.RawHttp;
import ai.calling.support.RawHttp.Answer;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Issue 20, point 1: every body is capped before it is read (1 MB for JSON, the upload limit for
 * multipart), headers too, and the refusal is a problem detail. The 200 MB case also measures what
 * the server allocated meanwhile: a body that is not read costs next to nothing.
 */
@IntegrationTest
class RequestLimitsTest {

    static final long MB = 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    RawHttp raw;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        raw = new RawHttp(port);
        user = TestUsers.register(http);
    }

    @Test
    void sixParallel200MbBodiesAreRefusedWith413WithoutGrowingTheHeap() throws Exception {
        raw.stream(post("/api/webhooks/stripe", null), 10 * MB, false, (byte) 'a'); // warm the path up
        long heapBefore = usedHeapAfterGc();
        long allocatedBefore = allocatedBytes();

        List<Answer> answers = inParallel(6, () -> raw.stream(post("/api/webhooks/stripe", null), 200 * MB, false, (byte) 'a'));

        long allocated = allocatedBytes() - allocatedBefore;
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        System.out.printf("[issue-20] 6 x 200 MB bodies: allocated %.1f MB in the whole JVM while refusing them, "
                + "heap after GC %+.1f MB, body bytes sent before the server closed: %d%n",
                allocated / (double) MB, heapGrowth / (double) MB, answers.getFirst().bodyBytesSent());
        for (Answer answer : answers) {
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.body()).contains("\"status\":413");
        }
        assertThat(allocated).as("bytes allocated while refusing 6 x 200 MB").isLessThan(50 * MB);
    }

    @Test
    void aChunkedBodyIsCutOffOnceItPassesTheCap() throws Exception {
        long allocatedBefore = allocatedBytes();

        Answer contacts = raw.stream(post("/api/contacts", user.accessToken()), 200 * MB, true, (byte) ' ');
        Answer stripe = raw.stream(post("/api/webhooks/stripe", null), 200 * MB, true, (byte) 'a');

        long allocated = allocatedBytes() - allocatedBefore;
        for (Answer answer : List.of(contacts, stripe)) {
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
        assertThat(allocated).as("bytes allocated while cutting off 2 x 200 MB").isLessThan(50 * MB);
    }

    @Test
    void aJsonBodyOverOneMegabyteIs413AndOneUnderItIsReadAndValidated() {
        String over = "{\"phoneNumber\":\"+14155550100\",\"notes\":\"" + "n".repeat((int) MB) + "\"}";
        String under = "{\"phoneNumber\":\"+14155550100\",\"notes\":\"" + "n".repeat(900_000) + "\"}";

        Http.Response tooLarge = http.post("/api/contacts", over, user.auth());
        Http.Response invalid = http.post("/api/contacts", under, user.auth());

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("errors").get(0).path("field").asString()).isEqualTo("notes");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, user.id())).isZero();
    }

    @Test
    void aCsvUploadMayBeLargerThanAJsonBodyButNotThanTheUploadLimit() throws Exception {
        StringBuilder csv = new StringBuilder("phone,name,notes\n");
        for (int i = 0; csv.length() < 2 * MB; i++) {
            csv.append("+1415555").append(String.format("%04d", i % 10_000)).append(",Name ").append(i).append(',')
                    .append("x".repeat(200)).append('\n');
        }
        Http.Response accepted = http.upload("/api/contacts/upload", "file", "contacts.csv", "text/csv",
                csv.toString().getBytes(), user.auth());
        Answer refused = raw.stream("POST /api/contacts/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + user.accessToken() + "\r\nContent-Type: multipart/form-data; boundary=xyz", 200 * MB, false, (byte) 'a');

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void headersOverTheLimitAre431ProblemDetails() throws Exception {
        Answer answer = raw.send("GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(10_000));

        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":431").doesNotContain("<html");
    }

    private static String post(String path, String accessToken) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + (accessToken == null ? "" : "\r\nAuthorization: Bearer " + accessToken);
    }

    private static <T> List<T> inParallel(int n, Callable<T> task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    /** Every byte any thread of this JVM (server and test alike) allocated since it started. */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
