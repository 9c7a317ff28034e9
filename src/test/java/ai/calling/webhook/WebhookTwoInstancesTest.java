package ai.calling.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.Application;
import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.LedgerInvariantsExtension;
import ai.calling.support.Leftovers;
import ai.calling.support.TestCredits;
import ai.calling.support.TestDatabaseInitializer;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Two application instances on one database share webhook processing: the calls are placed through
 * both, and every lifecycle event reaches both instances (as a Bolna retry through a load balancer
 * would), so each instance journals and applies every event. Each call still ends once: one debit,
 * its hold and slot released, its duration and credits those of the one end it had.
 */
class WebhookTwoInstancesTest {

    static final String SECRET = "hook-secret-two-instances";
    static final String JWT_SECRET = "webhook-two-instances-test-jwt-secret-32-bytes";
    static final int USERS = 4;
    static final int CALLS_PER_USER = 8;

    @Test
    void everyEventAppliedByBothInstancesEndsEachCallOnce() {
        try (FakeBolna bolna = new FakeBolna(); ConfigurableApplicationContext first = instance(bolna);
                ConfigurableApplicationContext second = instance(bolna)) {
            Leftovers.clear(first);
            bolna.callLength(Duration.ofMillis(100)).script((number, attempt) -> "completed:65")
                    .webhookUrls(hook(first), hook(second));
            JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
            List<Http> instances = List.of(new Http(port(first)), new Http(port(second)));
            List<String> callIds = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                SignedIn user = TestUsers.register(instances.get(0));
                TestCredits.setBalance(jdbc, user.id(), 10_000);
                String agent = instances.get(0).post("/api/agents", Map.of("name", "Two " + u, "welcomeMessage", "Hi",
                        "systemPrompt", "Be brief.", "maxCallDurationSeconds", 120), user.auth()).json().path("id").asString();
                for (int c = 0; c < CALLS_PER_USER; c++) {
                    Http through = instances.get(c % 2);
                    Http.Response placed = through.post("/api/calls", Map.of("agentId", agent, "phoneNumber",
                            "+1415555" + (1000 + u * 100 + c)), user.auth());
                    assertThat(placed.status()).as(placed.body()).isEqualTo(201);
                    callIds.add(placed.json().path("id").asString());
                }
            }
            int calls = USERS * CALLS_PER_USER;
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM calls WHERE id = ANY(?::uuid[]) AND status = 'completed'",
                            Integer.class, (Object) callIds.toArray(String[]::new)) == calls);
            // both instances stored every delivery (ringing and completed: four a call) and applied all of them
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("""
                    SELECT count(*) FROM bolna_webhook_events e JOIN calls c ON c.bolna_execution_id = e.execution_id
                     WHERE c.id = ANY(?::uuid[]) AND e.state = 'processed'""", Integer.class,
                    (Object) callIds.toArray(String[]::new)) == calls * 4);

            assertThat(jdbc.queryForList("SELECT DISTINCT duration_minutes FROM calls WHERE id = ANY(?::uuid[])",
                    Integer.class, (Object) callIds.toArray(String[]::new))).containsExactly(2);
            assertThat(jdbc.queryForObject("""
                    SELECT count(*) FROM calls c
                     WHERE c.id = ANY(?::uuid[])
                       AND (SELECT count(*) FROM credit_transactions t WHERE t.call_id = c.id AND t.amount < 0) = 1
                       AND (SELECT -sum(t.amount) FROM credit_transactions t WHERE t.call_id = c.id) = c.credits_used
                       AND c.credits_used > 0""", Integer.class, (Object) callIds.toArray(String[]::new))).isEqualTo(calls);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_holds WHERE call_id = ANY(?::uuid[])",
                    Integer.class, (Object) callIds.toArray(String[]::new))).isZero();
            LedgerInvariantsExtension.assertConsistent(jdbc);
        }
    }

    private static String hook(ConfigurableApplicationContext instance) {
        return "http://localhost:" + port(instance) + "/api/webhooks/bolna?token=" + SECRET;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static ConfigurableApplicationContext instance(FakeBolna bolna) {
        return new SpringApplicationBuilder(Application.class).initializers(new TestDatabaseInitializer())
                .run("--server.port=0", "--app.database.preflight=false", "--spring.docker.compose.enabled=false",
                        "--app.jobs.enabled=false", "--spring.datasource.hikari.maximum-pool-size=8",
                        "--spring.datasource.hikari.minimum-idle=1", "--app.security.auth-requests-per-minute=1000000",
                        "--app.bolna.api-key=bn-key", "--app.bolna.base-url=" + bolna.baseUrl(),
                        "--app.bolna.webhook-secret=" + SECRET, "--app.bolna.max-concurrent-calls=100",
                        "--app.security.jwt-secret=" + JWT_SECRET, "--app.campaigns.dispatch=false");
    }
}
