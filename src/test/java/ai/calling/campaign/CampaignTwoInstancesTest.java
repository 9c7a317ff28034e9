package ai.calling.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.Application;
import ai.calling.support.TestCampaigns;
import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.LedgerInvariantsExtension;
import ai.calling.support.Leftovers;
import ai.calling.support.TestCredits;
import ai.calling.support.TestDatabaseInitializer;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Two application instances on one database, both dispatching one campaign with their background
 * dispatchers: every recipient is dialled exactly once, and neither the campaign's limit (3) nor
 * the platform's (4) is ever exceeded at the fake, although each instance plans on its own.
 */
class CampaignTwoInstancesTest {

    static final String SECRET = "hook-secret-two";
    static final String JWT_SECRET = "campaign-two-instances-test-jwt-secret-32-bytes";

    @Test
    void twoInstancesDialEveryRecipientOnceWithinTheCaps() {
        try (FakeBolna bolna = new FakeBolna(); ConfigurableApplicationContext first = instance(bolna);
                ConfigurableApplicationContext second = instance(bolna)) {
            Leftovers.clear(first);
            Http http = new Http(port(first));
            JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
            bolna.webhookUrl("http://localhost:" + port(second) + "/api/webhooks/bolna?token=" + SECRET)
                    .callLength(Duration.ofMillis(150));
            SignedIn user = TestUsers.register(http);
            TestCredits.setBalance(jdbc, user.id(), 10_000);
            String agent = TestCampaigns.agent(http, user, "Two", 60).path("id").asString();
            String campaign = TestCampaigns.campaign(http, user, agent, "Shared", TestCampaigns.zoneAtNoonNow(),
                    TestCampaigns.window("06:00", "18:00", TestCampaigns.EVERY_DAY), 3);
            List<String> numbers = TestCampaigns.numbers("+1800200", 1000, 60);
            TestCampaigns.addAndStart(http, user, campaign, numbers);

            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                    "completed".equals(jdbc.queryForObject("SELECT status FROM campaigns WHERE id = ?::uuid", String.class,
                            campaign)));
            assertThat(bolna.dialledNumbers()).hasSize(60);
            assertThat(new HashSet<>(bolna.dialledNumbers())).containsExactlyInAnyOrderElementsOf(numbers);
            String bolnaAgent = http.get("/api/agents/" + agent, user.auth()).json().path("bolnaAgentId").asString();
            assertThat(bolna.maxInFlight(bolnaAgent)).isBetween(1, 3);
            assertThat(bolna.maxInFlightTotal()).isLessThanOrEqualTo(4);
            assertThat(jdbc.queryForObject("SELECT count(DISTINCT campaign_recipient_id) FROM calls "
                    + "WHERE campaign_id = ?::uuid", Integer.class, campaign)).isEqualTo(60);
            LedgerInvariantsExtension.assertConsistent(jdbc);
        }
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
                        "--app.bolna.webhook-secret=" + SECRET, "--app.bolna.max-concurrent-calls=4",
                        "--app.security.jwt-secret=" + JWT_SECRET, "--app.campaigns.dispatch=true",
                        "--app.campaigns.interval=50ms");
    }
}
