package ai.calling.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a random port against this run's real PostgreSQL database. All test
 * classes share one application context (and so one database), which keeps the suite fast; tests
 * therefore create their own users and never assume an empty table. After every test the money
 * invariants are asserted over the whole database ({@link LedgerInvariantsExtension}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "app.database.preflight=false", "spring.docker.compose.enabled=false",
                // the suite signs in many users from one address; the limit itself has its own test
                "app.security.auth-requests-per-minute=1000000",
                // a known signing key (production requires JWT_SECRET), so that tests can also forge tokens the
                // way an attacker holding it could
                "app.security.jwt-secret=" + IntegrationTest.JWT_SECRET,
                "app.security.metrics-scrape-token=" + IntegrationTest.SCRAPE_TOKEN,
                // as behind a proxy: tests give each simulated client its own X-Forwarded-For address
                "server.forward-headers-strategy=framework",
                // scheduled jobs would race the tests; the job tests call them directly
                "app.jobs.enabled=false",
                // nor does any context dial campaigns in the background: every cached context would dispatch the
                // campaigns of whichever class runs later (against the Bolna it was configured with, or none, failing
                // their recipients). Campaign tests drive rounds themselves or start instances of their own
                "app.campaigns.dispatch=false",
                // several cached contexts share one PostgreSQL: keep each pool small, and let a context
                // that is not running tests shrink back to one connection
                "spring.datasource.hikari.maximum-pool-size=10", "spring.datasource.hikari.minimum-idle=1",
                "spring.datasource.hikari.idle-timeout=10000",
                // outbound webhooks reach the tests' local receivers; retries come back within seconds. Every
                // context of the suite delivers the one outbox, so they all share these settings
                "app.outbound-webhooks.allowed-networks=127.0.0.0/8", "app.outbound-webhooks.first-retry-delay=1s",
                "app.outbound-webhooks.poll-interval=100ms", "app.live-events.heartbeat=1s",
                // an attempt's timeout (10 s in production): a test of a late answer waits this long, while a
                // local receiver's answer takes milliseconds
                "app.outbound-webhooks.timeout=3s" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@ExtendWith(LedgerInvariantsExtension.class)
public @interface IntegrationTest {

    String JWT_SECRET = TestDatabase.JWT_SECRET;

    String SCRAPE_TOKEN = "integration-tests-scrape-token";
}
