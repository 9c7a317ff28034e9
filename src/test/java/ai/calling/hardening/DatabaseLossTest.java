package ai.calling.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import ai.calling.Application;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TcpProxy;
import ai.calling.support.TestDatabase;
import ai.calling.support.TestUsers;

/**
 * Issue 20, point 9, with a real server process life: the application is started on its own (as
 * after a crash) against the test database through a TCP relay that the test cuts. Deliveries stored
 * before start-up are applied at once, and while the database is unreachable every request answers
 * 503 with Retry-After instead of 500; once it is back, requests succeed again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseLossTest {

    static final int BACKLOG = 3_000;
    static final String MARK = "backlog-" + UUID.randomUUID();
    static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*");

    static TcpProxy proxy;
    static ConfigurableApplicationContext app;
    static long readyNanos;
    static Http http;

    @BeforeAll
    static void crashedWithABacklogThenStarted() throws Exception {
        TestDatabase database = TestDatabase.get();
        Flyway.configure().dataSource(database.url(), database.username(), database.password())
                .locations("classpath:db/migration").load().migrate();
        storeBacklog(database);
        Matcher url = JDBC_URL.matcher(database.url());
        assertThat(url.matches()).as(database.url()).isTrue();
        proxy = new TcpProxy(url.group(1), Integer.parseInt(url.group(2)));
        app = new SpringApplicationBuilder(Application.class).run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.group(3),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.datasource.hikari.maximum-pool-size=4", "--spring.datasource.hikari.minimum-idle=1",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--app.database.preflight=false", "--spring.docker.compose.enabled=false",
                "--app.security.jwt-secret=" + IntegrationTest.JWT_SECRET,
                "--app.jobs.enabled=true");
        readyNanos = System.nanoTime();
        http = new Http(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void deliveriesStoredBeforeStartUpAreAppliedAtOnceNotAtTheSweepsPace() throws Exception {
        long waiting;
        Duration deadline = Duration.ofSeconds(25); // the first sweep runs 30 s after start-up, and takes 500
        do {
            Thread.sleep(200);
            waiting = stillReceived();
        } while (waiting > 0 && System.nanoTime() - readyNanos < deadline.toNanos());

        double seconds = (System.nanoTime() - readyNanos) / 1e9;
        System.out.printf("[issue-20] start-up drain: %d stored deliveries applied within %.1f s of start-up "
                + "(%d left)%n", BACKLOG, seconds, waiting);
        assertThat(waiting).as("deliveries still unprocessed %s s after start-up", deadline.toSeconds()).isZero();
    }

    @Test
    @Order(2)
    void withTheDatabaseGoneRequestsAnswer503WithRetryAfterAndWorkAgainOnceItIsBack() throws Exception {
        TestUsers.SignedIn user = TestUsers.register(http);
        assertThat(http.get("/api/contacts", user.auth()).status()).isEqualTo(200);

        proxy.cut();
        List<Http.Response> answers = List.of(
                http.get("/api/contacts", user.auth()),
                http.get("/api/credits/balance", user.auth()),
                http.post("/api/auth/login", Map.of("email", user.email(), "password", TestUsers.PASSWORD)),
                http.post("/api/auth/register", Map.of("email", "lost-" + UUID.randomUUID() + "@example.test",
                        "password", TestUsers.PASSWORD, "name", "Lost")));
        proxy.restore();

        for (Http.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isEqualTo("5");
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.body()).doesNotContain("SQL").doesNotContain("org.");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status;
        do {
            Thread.sleep(250);
            status = http.get("/api/contacts", user.auth()).status();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    private static void storeBacklog(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO bolna_webhook_events (id, execution_id, bolna_agent_id, status, source, payload, received_at)
                VALUES (?, ?, ?, 'completed', 'webhook', CAST(? AS jsonb), CURRENT_TIMESTAMP - interval '10 minutes')""")) {
            for (int i = 0; i < BACKLOG; i++) {
                String execution = MARK + "-" + i;
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, execution);
                insert.setString(3, MARK);
                insert.setString(4, "{\"id\":\"" + execution + "\",\"agent_id\":\"" + MARK + "\",\"status\":\"completed\"}");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static long stillReceived() throws SQLException {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM bolna_webhook_events WHERE bolna_agent_id = ? AND state = 'received'")) {
            query.setString(1, MARK);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
