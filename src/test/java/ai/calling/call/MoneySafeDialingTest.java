package ai.calling.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.zaxxer.hikari.HikariDataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.Application;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.Leftovers;
import ai.calling.support.TestCredits;
import ai.calling.support.TestDatabaseInitializer;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import ai.calling.webhook.BolnaReconciliation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 19's money safety, through HTTP against a fake Bolna: credit holds taken atomically under
 * parallel dials (on one and on two instances), the per-account cap on calls in progress, dials
 * recorded before they are sent (a lost answer is 202 unconfirmed, never dialled again, settled by
 * a webhook carrying the attempt id or by reconciliation), and webhooks whose contents PostgreSQL
 * cannot hold as they are.
 */
@IntegrationTest
class MoneySafeDialingTest {

    static final String SECRET = "hook-secret-19";
    static final String JWT_SECRET = "money-safe-dialing-test-jwt-secret-of-32-bytes-or-more";
    static final HeldAnswer HELD = new HeldAnswer();
    static final WireMockServer BOLNA = new WireMockServer(WireMockConfiguration.options().dynamicPort()
            .containerThreads(64).globalTemplating(true).extensions(HELD));
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        BOLNA.start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        bolnaProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** Shared by the second instance, so that it talks to the same fake and accepts the same tokens. */
    static Map<String, String> bolnaProperties() {
        return Map.of("app.bolna.api-key", "bn-key", "app.bolna.base-url", BOLNA.baseUrl(),
                "app.bolna.webhook-secret", SECRET, "app.bolna.read-timeout", "3s",
                // every unfinished call is due for reconciliation at once (the tests run it by hand)
                "app.bolna.reconcile-after", "0s", "app.security.jwt-secret", JWT_SECRET);
    }

    @AfterAll
    static void stop() {
        BOLNA.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationContext context;

    @Autowired
    BolnaReconciliation reconciliation;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        Leftovers.clear(context);
        http = new Http(port);
        user = TestUsers.register(http);
        BOLNA.resetAll();
        BOLNA.stubFor(post(urlPathEqualTo("/v2/agent")).willReturn(aResponse().withHeader("Content-Type",
                "application/json").withBody("{\"agent_id\":\"bolna-{{randomValue type='UUID'}}\",\"status\":\"created\"}")));
        stubPlacingCalls();
    }

    /** 1 credit for one hold of a 60 s agent; 10 credits for five holds of a 120 s agent. */
    @ParameterizedTest(name = "{2} holds'' worth lets exactly {2} of 30 parallel dials through")
    @CsvSource({ "60, 1, 1", "120, 10, 5" })
    void holdsWorthOfCreditsLetExactlyThatManyOfThirtyParallelDialsThrough(int maxSeconds, int credits, int holds)
            throws Exception {
        String agent = agent(maxSeconds);
        TestCredits.setBalance(jdbc, user.id(), credits);

        List<Integer> statuses = parallelDials(List.of(http), agent, 30);

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(holds);
        assertThat(statuses).filteredOn(status -> status == 402).hasSize(30 - holds);
        assertThat(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/call")))).hasSize(holds);
        assertThat(balance()).containsEntry("credits", credits).containsEntry("held", credits)
                .containsEntry("available", 0);
        // 61 s: two started minutes, bounded by the 60 s agent's hold
        endEveryCall(61);
        assertThat(balance()).containsEntry("credits", 0).containsEntry("held", 0).containsEntry("available", 0);
    }

    @Test
    void twoInstancesOnOneDatabaseHoldAsOne() throws Exception {
        String agent = agent(120);
        TestCredits.setBalance(jdbc, user.id(), 10);
        try (ConfigurableApplicationContext second = secondInstance()) {
            Http other = new Http(((WebServerApplicationContext) second).getWebServer().getPort());

            List<Integer> statuses = parallelDials(List.of(http, other), agent, 30);

            assertThat(statuses).filteredOn(status -> status == 201).hasSize(5);
            assertThat(statuses).filteredOn(status -> status == 402).hasSize(25);
            assertThat(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/call")))).hasSize(5);
        }
        endEveryCall(30);
        assertThat(balance()).containsEntry("credits", 5).containsEntry("held", 0);
    }

    @Test
    void theAccountsCapOnCallsInProgressIs429AndAnAdminMayRaiseIt() throws Exception {
        String agent = agent(60);
        TestCredits.setBalance(jdbc, user.id(), 1000);
        SignedIn admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
        assertThat(http.patch("/api/admin/users/" + user.id(), Map.of("maxConcurrentCalls", 3), admin.auth()).json()
                .path("maxConcurrentCalls").asInt()).isEqualTo(3);

        List<Integer> statuses = parallelDials(List.of(http), agent, 10);

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(3);
        assertThat(statuses).filteredOn(status -> status == 429).hasSize(7);
        Http.Response over = dial(http, agent, null);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("Retry-After")).isNotBlank();
        assertThat(over.contentType()).startsWith("application/problem+json");
        assertThat(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/call")))).hasSize(3);

        assertThat(http.patch("/api/admin/users/" + user.id(), Map.of("maxConcurrentCalls", 1001), admin.auth())
                .status()).isEqualTo(400);
        http.patch("/api/admin/users/" + user.id(), Map.of("maxConcurrentCalls", 4), admin.auth());
        assertThat(dial(http, agent, null).status()).isEqualTo(201);
        endEveryCall(0);
        assertThat(dial(http, agent, null).status()).isEqualTo(201);
        endEveryCall(0);
        assertThat(balance()).containsEntry("held", 0);
    }

    @Test
    void aLostAnswerIs202UnconfirmedANeverDialledAgainAndAWebhookWithTheAttemptIdBillsItOnce() {
        String agent = agent(600);
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withFixedDelay(4000)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"queued\",\"execution_id\":\"late\"}")));
        String key = UUID.randomUUID().toString();

        Http.Response first = dial(http, agent, key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().path("dialStatus").asString()).isEqualTo("unconfirmed");
        assertThat(first.json().path("status").asString()).isEqualTo("in_progress");
        assertThat(first.json().path("bolnaExecutionId").isNull()).isTrue();
        assertThat(balance()).containsEntry("held", 10);

        Http.Response again = dial(http, agent, key);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
        assertThat(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/call")))).hasSize(1);

        String callId = first.json().path("id").asString();
        assertThat(UUID.fromString(callId).version()).as("a recorded dial's id is time-ordered (decision 0059)")
                .isEqualTo(7);
        String execution = "exec-" + UUID.randomUUID();
        webhook(event(execution, callId, "in-progress", "null"));
        webhook(event(execution, callId, "completed", "\"61\""));
        webhook(event(execution, callId, "completed", "\"61\""));

        JsonNode call = http.get("/api/calls/" + callId, user.auth()).json();
        assertThat(call.path("bolnaExecutionId").asString()).isEqualTo(execution);
        assertThat(call.path("dialStatus").asString()).isEqualTo("confirmed");
        assertThat(call.path("status").asString()).isEqualTo("completed");
        assertThat(call.path("creditsUsed").asInt()).isEqualTo(2);
        assertThat(usage(callId)).containsExactly(-2);
        assertThat(balance()).containsEntry("credits", 13).containsEntry("held", 0);
    }

    /**
     * A call answered and then stopped (or broken off by an error) is billed for its minutes, as a completed one
     * is; one stopped before anyone answered costs nothing, whatever duration Bolna reports (ringing time), and so
     * does one that ends busy (no end of an answered call, whatever came before it).
     */
    @Test
    void aCallStoppedAfterItWasAnsweredIsBilledAndOneStoppedBeforeIsNot() {
        String agent = agent(300);
        stubPlacingCalls();
        JsonNode answered = dial(http, agent, null).json();
        JsonNode unanswered = dial(http, agent, null).json();

        webhook(event(answered.path("bolnaExecutionId").asString(), answered.path("id").asString(), "in-progress", "null"));
        webhook(event(answered.path("bolnaExecutionId").asString(), answered.path("id").asString(), "stopped", "\"125\""));
        webhook(event(unanswered.path("bolnaExecutionId").asString(), unanswered.path("id").asString(), "stopped", "\"20\""));
        JsonNode busy = dial(http, agent, null).json();
        webhook(event(busy.path("bolnaExecutionId").asString(), busy.path("id").asString(), "in-progress", "null"));
        webhook(event(busy.path("bolnaExecutionId").asString(), busy.path("id").asString(), "busy", "\"40\""));

        assertThat(usage(answered.path("id").asString())).containsExactly(-3);
        assertThat(usage(unanswered.path("id").asString())).isEmpty();
        assertThat(usage(busy.path("id").asString())).as("busy is no end of an answered call").isEmpty();
        assertThat(balance()).containsEntry("credits", 12).containsEntry("held", 0);
    }

    @Test
    void aDialBolnaThrottlesIs429WithRetryAfterKeepsNothingAndItsKeyMayBeUsedAgain() {
        String agent = agent(600);
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"concurrency limit reached\"}")));
        String key = UUID.randomUUID().toString();

        Http.Response throttled = dial(http, agent, key);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isEqualTo("3");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE user_id = ?", Integer.class, user.id()))
                .as("the dial that was never placed is forgotten").isZero();
        assertThat(balance()).containsEntry("held", 0);

        stubPlacingCalls();
        Http.Response placed = dial(http, agent, key);
        assertThat(placed.status()).as("the key kept nothing, so it dials").isEqualTo(201);
        assertThat(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/call")))).hasSize(2);
        assertThat(dial(http, agent, key).json().path("id").asString()).as("and now replays the placed call")
                .isEqualTo(placed.json().path("id").asString());
    }

    @Test
    void aWebhookThatArrivesBeforeBolnasAnswerBindsTheDialAndTheAnswerChangesNothing() throws Exception {
        String agent = agent(600);
        String execution = "exec-" + UUID.randomUUID();
        stubHeldAnswer(execution);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            HELD.hold();
            Future<Http.Response> answer = client.submit(() -> dial(http, agent, null));
            // WireMock logs a request only once it is answered: the held answer reports its arrival itself
            String attempt = heldAttempt();
            webhook(event(execution, attempt, "ringing", "null"));
            // bound by the webhook while Bolna's answer is still held back
            assertThat(answer.isDone()).as("answered early: %s", answer.isDone() ? answer.get().body() : "").isFalse();
            assertThat(jdbc.queryForObject("SELECT bolna_execution_id FROM calls WHERE id = ?::uuid", String.class,
                    attempt)).isEqualTo(execution);
            HELD.release();

            Http.Response placed = answer.get();
            assertThat(placed.status()).isEqualTo(201);
            assertThat(placed.json().path("id").asString()).isEqualTo(attempt);
            assertThat(placed.json().path("bolnaExecutionId").asString()).isEqualTo(execution);
            assertThat(placed.json().path("dialStatus").asString()).isEqualTo("confirmed");
            assertThat(placed.json().path("lifecycleStatus").asString()).isEqualTo("ringing");
        } finally {
            HELD.release();
            client.shutdown();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE user_id = ?", Long.class, user.id())).isOne();
    }

    /**
     * Bolna's webhooks need not echo our attempt id (Bolna's documentation lists context_details without promising
     * it). One that arrives before Bolna's answer, or after an answer that was lost, is bound to the one dial
     * of its agent to its number that has no execution yet. It created a call of its own, with a hold of its
     * own, and the dial stayed in progress with its hold and slot.
     */
    @Test
    void aWebhookWithoutTheAttemptIdBindsTheOneUnboundDialOfItsAgentToItsNumber() throws Exception {
        String agent = agent(600);
        String execution = "exec-" + UUID.randomUUID();
        stubHeldAnswer(execution);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            HELD.hold();
            Future<Http.Response> answer = client.submit(() -> dial(http, agent, null));
            String attempt = heldAttempt();
            webhook(eventWithoutAttempt(execution, bolnaAgent(agent), "ringing", "null"));
            assertThat(jdbc.queryForObject("SELECT bolna_execution_id FROM calls WHERE id = ?::uuid", String.class,
                    attempt)).isEqualTo(execution);
            HELD.release();
            assertThat(answer.get().status()).isEqualTo(201);
        } finally {
            HELD.release();
            client.shutdown();
        }
        webhook(eventWithoutAttempt(execution, bolnaAgent(agent), "completed", "\"61\""));

        // the next dial's answer is lost: its webhooks, without the attempt id, bind it all the same
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withFixedDelay(4000)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"queued\",\"execution_id\":\"late\"}")));
        Http.Response lost = dial(http, agent, null);
        assertThat(lost.json().path("dialStatus").asString()).isEqualTo("unconfirmed");
        String second = "exec-" + UUID.randomUUID();
        webhook(eventWithoutAttempt(second, bolnaAgent(agent), "in-progress", "null"));
        webhook(eventWithoutAttempt(second, bolnaAgent(agent), "completed", "\"30\""));

        assertThat(jdbc.queryForList("SELECT bolna_execution_id || ' ' || status || ' ' || credits_used FROM calls "
                + "WHERE user_id = ? ORDER BY created_at", String.class, user.id()))
                .containsExactly(execution + " completed 2", second + " completed 1");
        assertThat(balance()).containsEntry("held", 0).containsEntry("credits", 12);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_slots WHERE call_id IS NOT NULL", Long.class))
                .as("no slot left taken").isZero();

        // an execution that began before the only unbound dial was made (an earlier attempt's, say) is not its
        Http.Response third = dial(http, agent, null);
        String earlier = "exec-" + UUID.randomUUID();
        webhook(eventWithoutAttempt(earlier, bolnaAgent(agent), "ringing", "null")
                .replaceFirst("\"created_at\":\"[^\"]+\"", "\"created_at\":\"" + Instant.now().minusSeconds(600) + "\""));
        assertThat(jdbc.queryForObject("SELECT bolna_execution_id FROM calls WHERE id = ?::uuid", String.class,
                third.json().path("id").asString())).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE bolna_execution_id = ?", Long.class, earlier))
                .as("a call of its own").isOne();
    }

    /**
     * A webhook's transaction creates a call with the execution id Bolna is about to answer for a dial (its first
     * event carried neither our attempt id nor the dial's number), and commits while the dial's confirmation waits
     * on that id: the confirmation fails on the unique id, and is tried again, recording the dial as unconfirmed
     * (reconciliation settles it). It rolled back every outcome of the round, and the dial stayed "dialing".
     */
    @Test
    void aDialWhoseExecutionAWebhookTookMeanwhileIsRecordedUnconfirmed() throws Exception {
        String agent = agent(600);
        String execution = "exec-" + UUID.randomUUID();
        stubHeldAnswer(execution);
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<Http.Response> answer;
        try (Connection webhook = context.getBean(DataSource.class).getConnection()) {
            HELD.hold();
            answer = client.submit(() -> dial(http, agent, null));
            HELD.arrived().get(5, TimeUnit.SECONDS);
            webhook.setAutoCommit(false);
            try (var insert = webhook.prepareStatement("INSERT INTO calls (user_id, agent_id, bolna_execution_id, "
                    + "phone_number, lead_type) VALUES (?, ?, ?, 'unknown', 'inbound')")) {
                insert.setObject(1, user.id());
                insert.setObject(2, UUID.fromString(agent));
                insert.setString(3, execution);
                insert.executeUpdate();
            }
            HELD.release();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                            + "AND query LIKE '%bolna_execution_id = COALESCE%'", Long.class) > 0);
            webhook.commit();
        } finally {
            HELD.release();
            client.shutdown();
        }
        Http.Response dialled = answer.get(30, TimeUnit.SECONDS);

        assertThat(dialled.status()).isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT dial_status FROM calls WHERE id = ?::uuid", String.class,
                dialled.json().path("id").asString())).isEqualTo("unconfirmed");
    }

    /**
     * Bolna placed the call, but its outcome cannot be recorded: no connection within the pool's timeout
     * (a TransactionException, not a DataAccessException). The dial is answered 202 as recorded and held,
     * never 5xx (a client would dial again), and a webhook with the attempt id settles it.
     */
    @Test
    void aPlacedDialWhoseOutcomeCannotBeRecordedIsAnswered202AndSettledByItsWebhook() throws Exception {
        String agent = agent(600);
        String execution = "exec-" + UUID.randomUUID();
        stubHeldAnswer(execution);
        HikariDataSource pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class);
        ExecutorService client = Executors.newSingleThreadExecutor();
        List<Connection> taken = new ArrayList<>();
        try {
            HELD.hold();
            Future<Http.Response> answer = client.submit(() -> dial(http, agent, null));
            String attempt = heldAttempt();
            // every connection but the LISTEN loop's: taken until none has been idle for 300 ms, so that a worker's
            // short transaction that held one when the pool first looked empty has given it back to the test
            long emptySince = System.nanoTime();
            while (System.nanoTime() - emptySince < 300_000_000L) {
                if (pool.getHikariPoolMXBean().getIdleConnections() > 0
                        || pool.getHikariPoolMXBean().getTotalConnections() < pool.getMaximumPoolSize()) {
                    taken.add(pool.getConnection());
                    emptySince = System.nanoTime();
                } else {
                    Thread.sleep(5);
                }
            }
            HELD.release();
            // the outcome's transaction (milliseconds after the answer) waits for a connection until the pool's
            // timeout and fails; the dial's answer then waits for one, and gets it once they are handed back
            Thread.sleep(pool.getConnectionTimeout() + 1500);
            taken.forEach(MoneySafeDialingTest::close);
            taken.clear();

            Http.Response placed = answer.get(10, TimeUnit.SECONDS);
            assertThat(placed.status()).as(placed.body()).isEqualTo(202);
            assertThat(placed.json().path("dialStatus").asString()).isEqualTo("unconfirmed");
            assertThat(balance()).containsEntry("held", 10);

            webhook(event(execution, attempt, "completed", "61"));
            assertThat(usage(attempt)).containsExactly(-2);
            assertThat(balance()).containsEntry("credits", 13).containsEntry("held", 0);
        } finally {
            HELD.release();
            taken.forEach(MoneySafeDialingTest::close);
            client.shutdown();
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reconciliation decides a lost dial was never placed while a webhook binds it: the webhook holds the call's
     * row when the failure looks for the execution's lock (none yet) and commits the binding before the failure
     * gets the row. The failure then leaves the call to its webhooks; it neither fails a call that is ringing nor
     * reports it as never placed (a campaign would call its recipient again).
     */
    @Test
    void aLostDialBoundByItsWebhookWhileReconciliationFailsItIsLeftToTheWebhook() throws Exception {
        String agent = agent(600);
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withStatus(503)));
        String callId = dial(http, agent, null).json().path("id").asString();
        CallLifecycle lifecycle = context.getBean(CallLifecycle.class);
        TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
        ExecutorService reconciler = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> failed = transactions.execute(status -> {
                // the webhook's transaction: the call's row locked, then bound
                jdbc.queryForObject("SELECT id FROM calls WHERE id = ?::uuid FOR UPDATE", UUID.class, callId);
                Future<Boolean> attempt = reconciler.submit(() -> lifecycle.failNeverPlaced(UUID.fromString(callId),
                        "Bolna never placed this dial"));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                           AND wait_event_type = 'Lock'""", Long.class) > 0);
                jdbc.update("UPDATE calls SET bolna_execution_id = ?, dial_status = 'confirmed' WHERE id = ?::uuid",
                        "exec-" + UUID.randomUUID(), callId);
                return attempt;
            });
            assertThat(failed.get(10, TimeUnit.SECONDS)).isFalse();
        } finally {
            reconciler.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT status FROM calls WHERE id = ?::uuid", String.class, callId))
                .isEqualTo("in_progress");
        assertThat(balance()).containsEntry("held", 10);
    }

    @Test
    void aLostDialThatNeverAppearsIsFailedByReconciliationAndItsHoldReleased() {
        String agent = agent(600);
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Http.Response lost = dial(http, agent, null);
        assertThat(lost.status()).isEqualTo(202);
        assertThat(balance()).containsEntry("held", 10);
        String bolnaAgent = bolnaAgent(agent);
        BOLNA.stubFor(get(urlPathEqualTo("/v2/agent/" + bolnaAgent + "/executions")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"page_number\":1,\"page_size\":50,\"total\":0,\"has_more\":false,\"data\":[]}")));

        reconciliation.reconcile();

        JsonNode call = http.get("/api/calls/" + lost.json().path("id").asString(), user.auth()).json();
        assertThat(call.path("status").asString()).isEqualTo("failed");
        assertThat(call.path("hangupReason").asString()).isEqualTo("Bolna never placed this dial");
        assertThat(call.path("creditsUsed").asInt()).isZero();
        assertThat(balance()).containsEntry("credits", 15).containsEntry("held", 0);
    }

    @Test
    void aLostDialNotAmongTheExecutionsReconciliationCouldSeeIsNotCalledNeverPlaced() {
        String agent = agent(600);
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Http.Response lost = dial(http, agent, null);
        String bolnaAgent = bolnaAgent(agent);
        // a busy agent: every page Bolna shows has more after it, and the dial is on none of those searched
        stubExecutionsPage(bolnaAgent, true, event("someone-else", UUID.randomUUID().toString(), "completed", "5"));

        reconciliation.reconcile();

        JsonNode call = http.get("/api/calls/" + lost.json().path("id").asString(), user.auth()).json();
        assertThat(call.path("status").asString()).isEqualTo("failed");
        assertThat(call.path("hangupReason").asString()).as("Bolna may have placed it: no proof it never was")
                .isEqualTo("Bolna never confirmed this dial");
        assertThat(balance()).containsEntry("credits", 15).containsEntry("held", 0);
    }

    @Test
    void aLostDialThatBolnaDidPlaceIsFoundByItsAttemptIdAndBilled() {
        String agent = agent(600);
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withStatus(503)));
        Http.Response lost = dial(http, agent, null);
        assertThat(lost.status()).isEqualTo(202);
        String callId = lost.json().path("id").asString();
        String execution = "exec-" + UUID.randomUUID();
        String bolnaAgent = bolnaAgent(agent);
        stubExecutionsPage(bolnaAgent, false, event("someone-else", UUID.randomUUID().toString(), "completed", "5"),
                event(execution, callId, "completed", "125"));
        BOLNA.stubFor(get(urlPathEqualTo("/executions/" + execution)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(event(execution, callId, "completed", "125"))));

        reconciliation.reconcile();

        JsonNode call = http.get("/api/calls/" + callId, user.auth()).json();
        assertThat(call.path("status").asString()).isEqualTo("completed");
        assertThat(call.path("bolnaExecutionId").asString()).isEqualTo(execution);
        assertThat(usage(callId)).containsExactly(-3);
        assertThat(balance()).containsEntry("credits", 12).containsEntry("held", 0);
    }

    @Test
    void aLostDialFoundAmongTheExecutionsThatBolnaThenNoLongerKnowsCountsAsPlaced() {
        String agent = agent(600);
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withStatus(503)));
        Http.Response lost = dial(http, agent, null);
        String callId = lost.json().path("id").asString();
        String execution = "exec-" + UUID.randomUUID();
        String bolnaAgent = bolnaAgent(agent);
        stubExecutionsPage(bolnaAgent, false, event(execution, callId, "completed", "125"));
        // gone between the search and the fetch
        BOLNA.stubFor(get(urlPathEqualTo("/executions/" + execution)).willReturn(aResponse().withStatus(404)));

        reconciliation.reconcile();

        JsonNode call = http.get("/api/calls/" + callId, user.auth()).json();
        assertThat(call.path("status").asString()).isEqualTo("failed");
        assertThat(call.path("hangupReason").asString()).as("found at Bolna: placed, so a campaign must not call again")
                .isEqualTo("Bolna no longer knows this dial's execution");
        assertThat(balance()).containsEntry("credits", 15).containsEntry("held", 0);
    }

    /**
     * More calls that Bolna keeps reporting in progress than one run looks at (100) must not hold back the
     * calls after them: each run goes on where the last stopped, and the newer call that did end is settled.
     */
    @Test
    void callsBolnaKeepsReportingInProgressDoNotHoldBackTheReconciliationOfLaterOnes() {
        String agent = agent(600);
        String stuckPrefix = "stuck-" + UUID.randomUUID() + "-";
        List<Object[]> stuck = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stuck.add(new Object[] { user.id(), UUID.fromString(agent), stuckPrefix + i, 7200 - i });
        }
        jdbc.batchUpdate("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, created_at) "
                + "VALUES (?, ?, ?, '+14155550190', now() - make_interval(secs => ?))", stuck);
        String ended = "ended-" + UUID.randomUUID();
        String endedCall = jdbc.queryForObject("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, "
                + "created_at) VALUES (?, ?, ?, '+14155550190', now() - interval '1 hour') RETURNING id::text", String.class,
                user.id(), UUID.fromString(agent), ended);
        BOLNA.stubFor(get(urlPathMatching("/executions/" + stuckPrefix + ".*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(event("{{request.pathSegments.[1]}}", UUID.randomUUID().toString(), "in-progress", "null"))));
        BOLNA.stubFor(get(urlPathEqualTo("/executions/" + ended)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(event(ended, endedCall, "completed", "61"))));

        reconciliation.reconcile();
        reconciliation.reconcile();

        assertThat(jdbc.queryForObject("SELECT status FROM calls WHERE id = ?::uuid", String.class, endedCall))
                .isEqualTo("completed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE bolna_execution_id LIKE ? AND status = "
                + "'in_progress'", Long.class, stuckPrefix + "%")).isEqualTo(100);
    }

    /**
     * A call Bolna still reports unfinished a day after it began is failed, without charge, its hold released:
     * it was fetched again on every run and held its account's and the platform's capacity for ever. One of
     * an hour is left to Bolna.
     */
    @Test
    void aCallBolnaStillReportsUnfinishedADayLaterIsFailedAndItsHoldReleased() {
        String agent = agent(600);
        String old = "stuck-day-" + UUID.randomUUID();
        String recent = "stuck-hour-" + UUID.randomUUID();
        for (Object[] call : List.<Object[]>of(new Object[] { old, "25 hours" }, new Object[] { recent, "1 hour" })) {
            String id = jdbc.queryForObject("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, "
                    + "created_at) VALUES (?, ?, ?, '+14155550190', now() - ?::interval) RETURNING id::text", String.class,
                    user.id(), UUID.fromString(agent), call[0], call[1]);
            jdbc.update("INSERT INTO credit_holds (user_id, call_id, amount, credits_per_minute, max_call_duration_seconds) "
                    + "VALUES (?, ?::uuid, 10, 1, 600)", user.id(), id);
            BOLNA.stubFor(get(urlPathEqualTo("/executions/" + call[0])).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody(event((String) call[0], id, "in-progress",
                            "null"))));
        }
        assertThat(balance()).containsEntry("held", 20);

        reconciliation.reconcile();

        assertThat(jdbc.queryForMap("SELECT status, credits_used, hangup_reason FROM calls WHERE bolna_execution_id = ?", old))
                .containsEntry("status", "failed").containsEntry("credits_used", 0)
                .containsEntry("hangup_reason", "Bolna still reports this call unfinished a day after it began");
        assertThat(jdbc.queryForObject("SELECT status FROM calls WHERE bolna_execution_id = ?", String.class, recent))
                .isEqualTo("in_progress");
        assertThat(balance()).containsEntry("held", 10).containsEntry("credits", 15);

        // Bolna reports the recent call no further on: the next runs store nothing more for it (one row per run
        // and per long call before)
        reconciliation.reconcile();
        reconciliation.reconcile();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM bolna_webhook_events WHERE execution_id = ? "
                + "AND source = 'reconciliation'", Long.class, recent)).isOne();
        assertThat(jdbc.queryForObject("SELECT call_lifecycle_status FROM calls WHERE bolna_execution_id = ?",
                String.class, recent)).isEqualTo("answered");
    }

    @Test
    void webhooksWithWhatPostgresCannotHoldAreStoredAppliedAndBilledWithinTheHold() {
        String agent = agent(300);
        List<String> calls = new ArrayList<>();
        List<String> executions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode placed = dial(http, agent, null).json();
            calls.add(placed.path("id").asString());
            executions.add(placed.path("bolnaExecutionId").asString());
        }
        String nul = "\\u0000";
        String huge = "x".repeat(10_000);
        String longId = "e".repeat(10_000);

        Http.Response nulEverywhere = webhook("""
                {"id":"%5$s","agent_id":"%2$s","status":"completed%3$s","created_at":"2026-11-25T10:00:00Z%3$s",
                 "updated_at":"%3$s","conversation_duration":"61%3$s","transcript":"assistant: hi%3$s\\nuser: yo%3$s",
                 "error_message":"%3$s","summary":"%4$s%3$s","extracted_data":{"k%3$s":"v%3$s"},
                 "context_details":{"recipient_phone_number":"+1415%3$s","recipient_data":{"call_attempt_id":"%1$s",
                   "name":"%4$s%3$s"}},
                 "telephony_data":{"duration":1e12,"to_number":"%4$s","recording_url":"https://rec%3$s",
                   "hangup_by":"%3$s","hangup_reason":"%4$s%3$s","call_type":"outbound"}}"""
                .formatted(calls.get(0), bolnaAgent(agent), nul, huge, executions.get(0)));
        assertThat(nulEverywhere.status()).isEqualTo(200);
        Http.Response infinity = webhook(event(executions.get(1), calls.get(1), "completed", "\"Infinity\"")
                .replace("\"conversation_duration\":null", "\"conversation_duration\":\"Infinity\""));
        assertThat(infinity.status()).isEqualTo(200);
        Http.Response stringDuration = webhook(event(executions.get(2), calls.get(2), "completed", "\"90.5\""));
        assertThat(stringDuration.status()).isEqualTo(200);
        Http.Response tooLongId = webhook(event(longId, calls.get(2), "ringing", "null"));
        assertThat(tooLongId.status()).isEqualTo(400);
        assertThat(tooLongId.contentType()).startsWith("application/problem+json");

        for (Http.Response stored : List.of(nulEverywhere, infinity, stringDuration)) {
            String eventId = stored.json().path("eventId").asString();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "processed".equals(jdbc.queryForObject(
                    "SELECT state FROM bolna_webhook_events WHERE id = ?::uuid", String.class, eventId)));
        }
        JsonNode hugeCall = http.get("/api/calls/" + calls.get(0), user.auth()).json();
        assertThat(hugeCall.path("status").asString()).isEqualTo("completed");
        // 1e12 seconds are bounded by the agent's hard limit: 300 s, 5 minutes, the whole hold and no more
        assertThat(hugeCall.path("durationSeconds").asInt()).isEqualTo(300);
        assertThat(hugeCall.path("creditsUsed").asInt()).isEqualTo(5);
        assertThat(http.get("/api/calls/" + calls.get(0) + "/transcript", user.auth()).json().path("content").asString())
                .isEqualTo("assistant: hi\nuser: yo");
        // "Infinity" is no duration: a completed call with no duration never connected and costs nothing
        JsonNode infiniteCall = http.get("/api/calls/" + calls.get(1), user.auth()).json();
        assertThat(infiniteCall.path("status").asString()).isEqualTo("completed");
        assertThat(infiniteCall.path("creditsUsed").asInt()).isZero();
        assertThat(http.get("/api/calls/" + calls.get(2), user.auth()).json().path("creditsUsed").asInt()).isEqualTo(2);
        assertThat(usage(calls.get(0))).containsExactly(-5);
        assertThat(balance()).containsEntry("credits", 15 - 5 - 2).containsEntry("held", 0);
    }

    @Test
    void agentsHardLimitIsSentToBolnaAndValidated() {
        String agent = agent(90);
        JsonNode sent = JSON.readTree(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/v2/agent"))).getFirst()
                .getBodyAsString());
        assertThat(sent.path("agent_config").path("tasks").path(0).path("task_config").path("call_terminate").asInt())
                .isEqualTo(90);
        assertThat(http.get("/api/agents/" + agent, user.auth()).json().path("maxCallDurationSeconds").asInt())
                .isEqualTo(90);
        for (Object bad : List.of(29, 3601, 59.5, "long")) {
            Http.Response refused = http.post("/api/agents", Map.of("name", "Bad", "welcomeMessage", "Hi",
                    "systemPrompt", "Be brief.", "maxCallDurationSeconds", bad), user.auth());
            assertThat(refused.status()).as("maxCallDurationSeconds %s", bad).isEqualTo(400);
        }
        Http.Response defaulted = http.post("/api/agents", Map.of("name", "Default", "welcomeMessage", "Hi",
                "systemPrompt", "Be brief."), user.auth());
        assertThat(defaulted.json().path("maxCallDurationSeconds").asInt()).isEqualTo(600);

        // PATCH cannot change a task setting: a new limit is a PUT of the whole agent
        String bolnaAgent = bolnaAgent(agent);
        BOLNA.stubFor(put(urlPathEqualTo("/v2/agent/" + bolnaAgent)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"agent_id\":\"" + bolnaAgent + "\"}")));
        Http.Response longer = http.patch("/api/agents/" + agent, Map.of("maxCallDurationSeconds", 1200), user.auth());
        assertThat(longer.status()).as(longer.body()).isEqualTo(200);
        assertThat(longer.json().path("maxCallDurationSeconds").asInt()).isEqualTo(1200);
        JsonNode put = JSON.readTree(BOLNA.findAll(putRequestedFor(urlPathEqualTo("/v2/agent/" + bolnaAgent))).getFirst()
                .getBodyAsString());
        assertThat(put.path("agent_config").path("tasks").path(0).path("task_config").path("call_terminate").asInt())
                .isEqualTo(1200);
        assertThat(put.path("agent_config").path("agent_name").asString()).isEqualTo("Dialler");
        assertThat(http.patch("/api/agents/" + agent, Map.of("maxCallDurationSeconds", 4000), user.auth()).status())
                .isEqualTo(400);
    }

    // --- helpers -----------------------------------------------------------------------------

    private String agent(int maxCallDurationSeconds) {
        Http.Response created = http.post("/api/agents", Map.of("name", "Dialler", "welcomeMessage", "Hello!",
                "systemPrompt", "Be helpful.", "maxCallDurationSeconds", maxCallDurationSeconds), user.auth());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private String bolnaAgent(String agent) {
        return http.get("/api/agents/" + agent, user.auth()).json().path("bolnaAgentId").asString();
    }

    /** The one page of the agent's executions Bolna lists (newest first), and whether more follow it. */
    private static void stubExecutionsPage(String bolnaAgent, boolean hasMore, String... executions) {
        BOLNA.stubFor(get(urlPathEqualTo("/v2/agent/" + bolnaAgent + "/executions")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"has_more\":" + hasMore + ",\"data\":[" + String.join(",", executions) + "]}")));
    }

    /** The attempt id of the dial whose answer is held, once its request has arrived. */
    private static String heldAttempt() throws Exception {
        return JSON.readTree(HELD.arrived().get(5, TimeUnit.SECONDS)).path("user_data").path("call_attempt_id")
                .asString();
    }

    /** Bolna places the call as this execution, its answer held back until the test releases it ({@link #HELD}). */
    private static void stubHeldAnswer(String execution) {
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withTransformers(HeldAnswer.NAME)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"queued\",\"execution_id\":\"" + execution + "\"}")));
    }

    /** Bolna places every call at once, each with a new execution id. */
    private static void stubPlacingCalls() {
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"done\",\"status\":\"queued\",\"execution_id\":\"exec-{{randomValue type='UUID'}}\"}")));
        BOLNA.stubFor(post(urlPathMatching("/call/.*/stop")).willReturn(aResponse().withStatus(200)));
    }

    private Http.Response dial(Http through, String agent, String idempotencyKey) {
        String[] headers = idempotencyKey == null ? user.auth()
                : new String[] { "Authorization", "Bearer " + user.accessToken(), "Idempotency-Key", idempotencyKey };
        return through.post("/api/calls", Map.of("agentId", agent, "phoneNumber", "+14155550190"), headers);
    }

    private List<Integer> parallelDials(List<Http> instances, String agent, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Callable<Integer>> dials = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Http through = instances.get(i % instances.size());
                dials.add(() -> dial(through, agent, null).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(dials)) {
                statuses.add(status.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    /** Sends a completed webhook of {@code seconds} for every call Bolna placed for this user. */
    private void endEveryCall(int seconds) {
        List<Map<String, Object>> placed = jdbc.queryForList("SELECT id::text AS id, bolna_execution_id FROM calls "
                + "WHERE user_id = ? AND status = 'in_progress'", user.id());
        for (Map<String, Object> call : placed) {
            webhook(event((String) call.get("bolna_execution_id"), (String) call.get("id"), "completed",
                    seconds == 0 ? "null" : "\"" + seconds + "\""));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM calls WHERE user_id = ? AND status = 'in_progress'", Long.class, user.id()) == 0);
    }

    /** An execution of this user's agent, echoing the attempt id as Bolna echoes user_data. */
    private String event(String execution, String attempt, String status, String duration) {
        String bolnaAgent = jdbc.queryForObject("SELECT a.bolna_agent_id FROM calls c JOIN agents a ON a.id = c.agent_id "
                + "WHERE c.id = ?::uuid UNION ALL SELECT bolna_agent_id FROM agents WHERE user_id = ? LIMIT 1", String.class,
                attempt.length() == 36 ? attempt : UUID.randomUUID().toString(), user.id());
        return """
                {"id":"%s","agent_id":"%s","status":"%s","created_at":"2026-11-25T10:00:00Z",
                 "conversation_duration":null,
                 "context_details":{"recipient_phone_number":"+14155550190",
                   "recipient_data":{"call_attempt_id":"%s"}},
                 "telephony_data":{"duration":%s,"to_number":"+14155550190","call_type":"outbound"}}"""
                .formatted(execution, bolnaAgent, status, attempt, duration);
    }

    /** An outbound execution of this Bolna agent to the number the tests dial, made now, without our attempt id. */
    private static String eventWithoutAttempt(String execution, String bolnaAgent, String status, String duration) {
        return """
                {"id":"%s","agent_id":"%s","status":"%s","created_at":"%s",
                 "conversation_duration":null,
                 "context_details":{"recipient_phone_number":"+14155550190"},
                 "telephony_data":{"duration":%s,"to_number":"+14155550190","call_type":"outbound"}}"""
                .formatted(execution, bolnaAgent, status, Instant.now(), duration);
    }

    private Http.Response webhook(String body) {
        Http.Response response = http.post("/api/webhooks/bolna?token=" + SECRET, body);
        if (response.status() == 200) {
            String eventId = response.json().path("eventId").asString();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                    !"received".equals(jdbc.queryForObject("SELECT state FROM bolna_webhook_events WHERE id = ?::uuid",
                            String.class, eventId)));
        }
        return response;
    }

    private Map<String, Object> balance() {
        JsonNode balance = http.get("/api/credits/balance", user.auth()).json();
        return Map.of("credits", balance.path("credits").asInt(), "held", balance.path("held").asInt(), "available",
                balance.path("available").asInt());
    }

    private List<Integer> usage(String callId) {
        return jdbc.queryForList("SELECT amount FROM credit_transactions WHERE call_id = ?::uuid AND type = 'usage'",
                Integer.class, callId);
    }

    /**
     * Holds back the fake's answer to a stub that names it until the test releases it (at most 2.5 s,
     * within the read timeout), and reports the request's arrival.
     */
    static final class HeldAnswer implements ResponseTransformerV2 {

        static final String NAME = "held-answer";
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile CompletableFuture<String> arrived = new CompletableFuture<>();

        void hold() {
            gate = new CountDownLatch(1);
            arrived = new CompletableFuture<>();
        }

        /** The body of the request whose answer is held, once it has arrived. */
        CompletableFuture<String> arrived() {
            return arrived;
        }

        void release() {
            gate.countDown();
        }

        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            arrived.complete(serveEvent.getRequest().getBodyAsString());
            try {
                gate.await(2500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return response;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    private static ConfigurableApplicationContext secondInstance() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--app.database.preflight=false",
                "--spring.docker.compose.enabled=false", "--app.jobs.enabled=false",
                "--spring.datasource.hikari.maximum-pool-size=10", "--spring.datasource.hikari.minimum-idle=1",
                "--app.security.auth-requests-per-minute=1000000"));
        bolnaProperties().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(Application.class).initializers(new TestDatabaseInitializer())
                .run(arguments.toArray(String[]::new));
    }
}
