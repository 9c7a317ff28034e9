package ai.calling.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.campaign.CampaignCompleted;
import ai.calling.common.mail.LoggingMailer;
import ai.calling.common.mail.OutgoingMail;
import ai.calling.config.OutboundWebhookProperties;
import ai.calling.integration.internal.OutboxStore;
import ai.calling.lead.LeadAnalysisCompleted;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestCredits;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import ai.calling.support.WebhookReceiver;
import ai.calling.support.WebhookReceiver.Received;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbound webhooks end to end: a Bolna webhook completes a call, the outbox holds its event, the
 * delivery worker posts it to a local receiver (allowed by OUTBOUND_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8
 * in the tests) signed the Standard Webhooks way.
 */
@IntegrationTest
@TestPropertySource(properties = "app.bolna.webhook-secret=" + OutboundWebhooksTest.BOLNA_SECRET)
class OutboundWebhooksTest {

    static final String BOLNA_SECRET = "outbound-webhooks-bolna-secret";
    static final WebhookReceiver RECEIVER = new WebhookReceiver();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    OutboxStore outbox;

    @Autowired
    LoggingMailer mailer;

    @Autowired
    OutboundWebhookProperties properties;

    Http http;
    SignedIn user;
    UUID agent;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Agent')", agent, user.id(),
                "bolna-" + agent);
    }

    @Test
    void aCompletedCallIsDeliveredOncePerSubscribedEndpointSignedWithItsSecret() {
        String path = "/completed-" + UUID.randomUUID();
        String otherPath = "/other-" + UUID.randomUUID();
        String leadsOnly = "/leads-" + UUID.randomUUID();
        JsonNode first = register(path, List.of("call.completed", "call.failed"));
        JsonNode second = register(otherPath, List.of("call.completed"));
        register(leadsOnly, List.of("lead.analyzed"));

        UUID call = completeACall("completed", 61);

        Received received = awaitOne(path);
        Received other = awaitOne(otherPath);
        assertThat(verifies(first.path("secret").asString(), received)).isTrue();
        assertThat(verifies(second.path("secret").asString(), other)).isTrue();
        assertThat(verifies(second.path("secret").asString(), received)).isFalse();
        assertThat(Math.abs(Long.parseLong(received.timestamp()) - Instant.now().getEpochSecond())).isLessThan(60);
        JsonNode body = JSON.readTree(received.body());
        assertThat(body.path("type").asString()).isEqualTo("call.completed");
        assertThat(body.path("timestamp").asString()).isNotBlank();
        assertThat(body.path("data").path("id").asString()).isEqualTo(call.toString());
        assertThat(body.path("data").path("status").asString()).isEqualTo("completed");
        assertThat(body.path("data").has("campaignId")).isTrue();
        assertThat(body.path("data").path("durationSeconds").asInt()).isEqualTo(61);
        assertThat(received.webhookId()).isEqualTo(other.webhookId());

        // exactly once: both deliveries succeeded and nothing more arrives
        awaitDeliveries(first.path("id").asString(), "succeeded", 1);
        awaitDeliveries(second.path("id").asString(), "succeeded", 1);
        assertThat(RECEIVER.received(path)).hasSize(1);
        assertThat(RECEIVER.received(leadsOnly)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ?", Long.class, user.id()))
                .isEqualTo(1);
    }

    @Test
    void aFailedCallIsCallFailedAndATenantWithoutEndpointsWritesNoEvent() {
        completeACall("completed", 30);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ?", Long.class, user.id()))
                .isZero();

        String path = "/failed-" + UUID.randomUUID();
        register(path, List.of("call.failed"));
        UUID call = completeACall("no-answer", 0);

        JsonNode body = JSON.readTree(awaitOne(path).body());
        assertThat(body.path("type").asString()).isEqualTo("call.failed");
        assertThat(body.path("data").path("id").asString()).isEqualTo(call.toString());
    }

    @Test
    void aReceiverAnswering500TwiceGetsTheEventThreeTimesWithGrowingGapsAllInTheLog() {
        String path = "/flaky-" + UUID.randomUUID();
        RECEIVER.answer(path, 500, 500);
        JsonNode endpoint = register(path, List.of("call.completed"));

        completeACall("completed", 45);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.received(path).size() >= 3);
        List<Received> attempts = RECEIVER.received(path);
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(Received::webhookId).containsOnly(attempts.getFirst().webhookId());
        assertThat(attempts).allSatisfy(attempt -> assertThat(verifies(endpoint.path("secret").asString(), attempt)).isTrue());
        Duration firstGap = Duration.between(attempts.get(0).at(), attempts.get(1).at());
        Duration secondGap = Duration.between(attempts.get(1).at(), attempts.get(2).at());
        assertThat(secondGap).isGreaterThan(firstGap);

        JsonNode delivery = awaitDeliveries(endpoint.path("id").asString(), "succeeded", 1).path("items").get(0);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.path("lastResponseStatus").asInt()).isEqualTo(200);
        assertThat(delivery.path("eventType").asString()).isEqualTo("call.completed");
        JsonNode log = delivery.path("attemptLog");
        assertThat(log).hasSize(3);
        assertThat(List.of(log.get(0).path("responseStatus").asInt(), log.get(1).path("responseStatus").asInt(),
                log.get(2).path("responseStatus").asInt())).containsExactly(500, 500, 200);
        assertThat(log.get(0).has("durationMs")).isTrue();
        // the success ended the endpoint's failure streak
        assertThat(jdbc.queryForObject("SELECT failing_since IS NULL FROM webhook_endpoints WHERE id = ?::uuid",
                Boolean.class, endpoint.path("id").asString())).isTrue();
    }

    @Test
    void redirectsAreNotFollowedAndLargeAnswersAreCut() {
        String redirecting = "/redirecting-" + UUID.randomUUID();
        // redirected on every attempt of the next half minute (1 s, 4 s, 16 s later)
        RECEIVER.answer(redirecting, 302, 302, 302, 302);
        JsonNode endpoint = register(redirecting, List.of("call.completed"));
        String large = "/large-" + UUID.randomUUID();
        RECEIVER.largeBody(large, 5_000_000);
        JsonNode largeEndpoint = register(large, List.of("call.completed"));

        completeACall("completed", 20);

        JsonNode delivery = awaitAttempted(endpoint.path("id").asString());
        assertThat(delivery.path("attemptLog").get(0).path("responseStatus").asInt()).isEqualTo(302);
        assertThat(delivery.path("status").asString()).isEqualTo("pending");
        assertThat(delivery.path("nextAttemptAt").asString()).isNotBlank();
        assertThat(RECEIVER.received("/redirected")).isEmpty();
        awaitDeliveries(largeEndpoint.path("id").asString(), "succeeded", 1);
    }

    @Test
    void aTestEventAfterARotationCarriesTwoSignaturesOldAndNew() {
        String path = "/rotated-" + UUID.randomUUID();
        JsonNode endpoint = register(path, List.of("lead.analyzed"));
        String id = endpoint.path("id").asString();
        String oldSecret = endpoint.path("secret").asString();

        Http.Response rotated = http.post("/api/webhook-endpoints/" + id + "/rotate-secret", "", user.auth());
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.json().path("secret").asString();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(Duration.between(Instant.now(), Instant.parse(rotated.json().path("previousSecretExpiresAt").asString())))
                .isBetween(Duration.ofHours(23), Duration.ofHours(25));

        Http.Response test = http.post("/api/webhook-endpoints/" + id + "/test", "", user.auth());
        assertThat(test.status()).isEqualTo(202);

        Received received = awaitOne(path);
        assertThat(received.signature().split(" ")).hasSize(2);
        assertThat(verifies(oldSecret, received)).isTrue();
        assertThat(verifies(newSecret, received)).isTrue();
        assertThat(JSON.readTree(received.body()).path("type").asString()).isEqualTo("webhook.test");
        assertThat(received.webhookId()).isEqualTo(test.json().path("eventId").asString());

        // once the overlap is over, only the new secret signs
        jdbc.update("UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ?::uuid", id);
        UUID delivery = UUID.fromString(test.json().path("deliveryId").asString());
        Http.Response again = http.post("/api/webhook-endpoints/" + id + "/deliveries/" + delivery + "/redeliver", "",
                user.auth());
        assertThat(again.status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.received(path).size() == 2);
        Received redelivered = RECEIVER.received(path).get(1);
        assertThat(redelivered.webhookId()).isEqualTo(received.webhookId());
        assertThat(redelivered.signature().split(" ")).hasSize(1);
        assertThat(verifies(newSecret, redelivered)).isTrue();
        assertThat(verifies(oldSecret, redelivered)).isFalse();
    }

    @Test
    void anEndpointFailingForThreeDaysIsDisabledAndItsOwnerNotifiedByARowAndAMail() {
        String path = "/down-" + UUID.randomUUID();
        RECEIVER.answer(path, 503, 503, 503);
        JsonNode endpoint = register(path, List.of("call.completed"));
        String id = endpoint.path("id").asString();

        completeACall("completed", 10);

        // two failures a second apart (both recorded): the streak has begun, the endpoint stays enabled
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/webhook-endpoints/" + id
                + "/deliveries", user.auth()).json().path("items").path(0).path("attemptLog").size() >= 2);
        assertThat(http.get("/api/webhook-endpoints/" + id, user.auth()).json().path("enabled").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT failing_since > now() - interval '1 minute' FROM webhook_endpoints "
                + "WHERE id = ?::uuid", Boolean.class, id)).isTrue();
        // as if the first failure had been 73 hours ago: the next failure (the third attempt) disables it
        int mailsBefore = mailsTo(user.email()).size();
        jdbc.update("UPDATE webhook_endpoints SET failing_since = failing_since - interval '73 hours' WHERE id = ?::uuid", id);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !http.get("/api/webhook-endpoints/" + id,
                user.auth()).json().path("enabled").asBoolean());
        assertThat(RECEIVER.received(path)).hasSize(3);
        assertThat(http.get("/api/webhook-endpoints/" + id, user.auth()).json().path("disabledReason").asString())
                .contains("72 hours");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM integration_notifications WHERE user_id = ? "
                + "AND endpoint_id = ?::uuid AND kind = 'webhook_endpoint_disabled'", Long.class, user.id(), id))
                .isEqualTo(1);
        // the owner's mail is sent after the disabling transaction commits
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mailsTo(user.email()).size() > mailsBefore);
        List<OutgoingMail> mails = mailsTo(user.email());
        assertThat(mails).hasSize(mailsBefore + 1);
        assertThat(mails.getLast().subject()).isEqualTo("Your webhook endpoint was disabled");
        assertThat(mails.getLast().text()).contains(RECEIVER.url(path)).contains(id).contains("72 hours");
        assertThat(http.post("/api/webhook-endpoints/" + id + "/test", "", user.auth()).status()).isEqualTo(409);

        // enabled again, the pending delivery goes out (redelivered now rather than at its next attempt, 16 s on)
        Http.Response enabled = http.patch("/api/webhook-endpoints/" + id, Map.of("enabled", true), user.auth());
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.json().path("disabledReason").isNull()).isTrue();
        String delivery = http.get("/api/webhook-endpoints/" + id + "/deliveries", user.auth()).json().path("items")
                .path(0).path("id").asString();
        assertThat(http.post("/api/webhook-endpoints/" + id + "/deliveries/" + delivery + "/redeliver", "", user.auth())
                .status()).isEqualTo(202);
        awaitDeliveries(id, "succeeded", 1);
        assertThat(mailsTo(user.email())).hasSize(mailsBefore + 1);
    }

    /**
     * A test event asked for while the endpoint is deleted: 202 or 404, never a 500 (the endpoint was checked
     * outside the transaction that queues the delivery, whose insert then broke its foreign key).
     */
    @Test
    void aTestEventRacingTheEndpointsDeletionIsQueuedOr404() throws Exception {
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 40; i++) {
                String id = register("/racing-" + UUID.randomUUID(), List.of("call.completed")).path("id").asString();
                var start = new CountDownLatch(1);
                var tested = pool.submit(() -> {
                    start.await();
                    return http.post("/api/webhook-endpoints/" + id + "/test", "", user.auth()).status();
                });
                var deleted = pool.submit(() -> {
                    start.await();
                    return http.delete("/api/webhook-endpoints/" + id, user.auth()).status();
                });
                start.countDown();
                statuses.add(tested.get());
                assertThat(deleted.get()).isEqualTo(204);
            }
        }
        assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(202, 404));
    }

    @Test
    void anAnswerLaterThanTheTimeoutIsAFailedAttemptAndTheDeliveryIsRetried() {
        String path = "/slow-" + UUID.randomUUID();
        Duration timeout = properties.timeout();
        // the first request is answered (200) only after twice the timeout; the retry at once
        RECEIVER.answerAfter(path, timeout.multipliedBy(2));
        JsonNode endpoint = register(path, List.of("call.completed"));

        completeACall("completed", 12);

        JsonNode delivery = awaitDeliveries(endpoint.path("id").asString(), "succeeded", 1).path("items").get(0);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
        JsonNode late = delivery.path("attemptLog").get(0);
        assertThat(late.path("responseStatus").isNull()).as(late.toString()).isTrue();
        assertThat(late.path("error").asString()).containsIgnoringCase("timed out");
        // given up at the timeout, not when the late answer came
        assertThat(late.path("durationMs").asLong()).isBetween(timeout.toMillis() - 100, timeout.toMillis() * 2 - 100);
        assertThat(delivery.path("attemptLog").get(1).path("responseStatus").asInt()).isEqualTo(200);
        List<Received> received = RECEIVER.received(path);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).webhookId()).isEqualTo(received.get(0).webhookId());
    }

    private List<OutgoingMail> mailsTo(String email) {
        return mailer.recent().stream().filter(mail -> mail.to().equals(email)).toList();
    }

    @Test
    void theEventExistsIfAndOnlyIfItsChangeCommitted() {
        register("/atomic-" + UUID.randomUUID(), List.of("call.completed"));
        UUID call = completeACall("completed", 5);
        long before = jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ?", Long.class, user.id());

        transactions.executeWithoutResult(status -> {
            events.publishEvent(new CallsCompleted(List.of(
                    new CallCompleted(call, user.id(), agent, "completed", "completed", null, null, null))));
            status.setRollbackOnly();
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ?", Long.class, user.id()))
                .isEqualTo(before);

        transactions.executeWithoutResult(status -> events.publishEvent(new CallsCompleted(List.of(
                new CallCompleted(call, user.id(), agent, "completed", "completed", null, null, null)))));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ?", Long.class, user.id()))
                .isEqualTo(before + 1);
    }

    @Test
    void aDeliveryLeasedByAnInstanceThatDiedIsDeliveredWhenItsLeaseRunsOut() {
        String path = "/crashed-" + UUID.randomUUID();
        JsonNode endpoint = register(path, List.of("call.completed"));
        // as if an instance had committed the event, leased its delivery and been killed before sending
        String event = jdbc.queryForObject("INSERT INTO outbound_events (user_id, type, payload) VALUES (?, "
                + "'call.completed', '{\"type\":\"call.completed\",\"data\":{}}') RETURNING id::text", String.class, user.id());
        jdbc.update("INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, attempts, leased_until) "
                + "VALUES (?::uuid, ?::uuid, ?, 1, now() + interval '2 seconds')", event, endpoint.path("id").asString(),
                user.id());

        Received received = awaitOne(path);
        assertThat(received.webhookId()).isEqualTo(event);
        assertThat(verifies(endpoint.path("secret").asString(), received)).isTrue();
    }

    @Test
    void anotherTenantsEndpointsAndDeliveriesAnswer404() {
        JsonNode endpoint = register("/mine-" + UUID.randomUUID(), List.of("call.completed"));
        String id = endpoint.path("id").asString();
        SignedIn other = TestUsers.register(http);

        assertThat(http.get("/api/webhook-endpoints/" + id, other.auth()).status()).isEqualTo(404);
        assertThat(http.patch("/api/webhook-endpoints/" + id, Map.of("enabled", false), other.auth()).status())
                .isEqualTo(404);
        assertThat(http.get("/api/webhook-endpoints/" + id + "/deliveries", other.auth()).status()).isEqualTo(404);
        assertThat(http.post("/api/webhook-endpoints/" + id + "/test", "", other.auth()).status()).isEqualTo(404);
        assertThat(http.post("/api/webhook-endpoints/" + id + "/rotate-secret", "", other.auth()).status()).isEqualTo(404);
        assertThat(http.post("/api/webhook-endpoints/" + id + "/deliveries/" + UUID.randomUUID() + "/redeliver", "",
                other.auth()).status()).isEqualTo(404);
        assertThat(http.delete("/api/webhook-endpoints/" + id, other.auth()).status()).isEqualTo(404);
        assertThat(http.get("/api/webhook-endpoints", other.auth()).json().path("totalItems").asLong()).isZero();
        assertThat(http.get("/api/webhook-endpoints/" + id, user.auth()).json().path("enabled").asBoolean()).isTrue();
        // the secret is shown once
        assertThat(http.get("/api/webhook-endpoints/" + id, user.auth()).body()).doesNotContain("whsec_");
        assertThat(http.delete("/api/webhook-endpoints/" + id, user.auth()).status()).isEqualTo(204);
        assertThat(http.get("/api/webhook-endpoints/" + id, user.auth()).status()).isEqualTo(404);
    }

    @Test
    void anApiKeyManagesEndpointsAsItsOwner() {
        String key = http.post("/api/api-keys", Map.of("name", "hooks"), user.auth()).json().path("key").asString();
        Http.Response created = http.post("/api/webhook-endpoints", Map.of("url", RECEIVER.url("/by-key"), "events",
                List.of("credits.low")), Http.bearer(key));
        assertThat(created.status()).isEqualTo(201);
        assertThat(http.get("/api/webhook-endpoints", user.auth()).json().path("totalItems").asLong()).isEqualTo(1);
    }

    @Test
    void badInputIs400AndWritesNothing() {
        for (Object body : List.of(Map.of("url", "ftp://127.0.0.1/x", "events", List.of("call.completed")),
                Map.of("url", "not a url", "events", List.of("call.completed")),
                Map.of("url", RECEIVER.url("/x"), "events", List.of("call.exploded")),
                Map.of("url", RECEIVER.url("/x"), "events", List.of()),
                Map.of("url", "https://no-such-host.invalid/x", "events", List.of("call.completed")),
                Map.of("events", List.of("call.completed")))) {
            Http.Response response = http.post("/api/webhook-endpoints", body, user.auth());
            assertThat(response.status()).as(body.toString()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(http.get("/api/webhook-endpoints", user.auth()).json().path("totalItems").asLong()).isZero();
    }

    @Test
    void creditsLowIsSentOncePerFallBelowTheThreshold() {
        String path = "/credits-" + UUID.randomUUID();
        register(path, List.of("credits.low"));
        SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "super_admin");
        TestCredits.setBalance(jdbc, user.id(), 100);
        int threshold = jdbc.queryForObject("SELECT config_value::int FROM system_config "
                + "WHERE config_key = 'low_credit_threshold'", Integer.class);

        assertThat(adjust(admin, -(100 - threshold))).isEqualTo(201);
        assertThat(adjust(admin, -1)).isEqualTo(201);
        assertThat(adjust(admin, -1)).isEqualTo(201);

        JsonNode body = JSON.readTree(awaitOne(path).body());
        assertThat(body.path("type").asString()).isEqualTo("credits.low");
        assertThat(body.path("data").path("available").asInt()).isEqualTo(threshold - 1);
        assertThat(body.path("data").path("threshold").asInt()).isEqualTo(threshold);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ? AND type = 'credits.low'",
                Long.class, user.id())).isEqualTo(1);
        // back above and below again: a second fall, a second event
        assertThat(adjust(admin, 10)).isEqualTo(201);
        assertThat(adjust(admin, -10)).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.received(path).size() == 2);
    }

    @Test
    void leadAnalyzedCarriesTheAnalysisAndCampaignCompletedItsStats() {
        String leads = "/lead-" + UUID.randomUUID();
        String campaigns = "/campaign-" + UUID.randomUUID();
        register(leads, List.of("lead.analyzed"));
        register(campaigns, List.of("campaign.completed"));
        UUID call = completeACall("completed", 33);
        jdbc.update("""
                INSERT INTO lead_analytics (call_id, user_id, phone_number, analysis_type, intent_score, total_score,
                                            lead_status_tag, reasoning, smart_notification)
                VALUES (?, ?, '+14155550111', 'individual', 80, 78, 'Hot', '{"intent": "asked for pricing"}',
                        'Wants pricing')""", call, user.id());
        String campaign = http.post("/api/campaigns", Map.of("name", "Spring", "agentId", agent.toString(),
                "timezone", "America/New_York", "callingWindow", Map.of("start", "09:00", "end", "17:00", "days",
                        List.of("MON")), "maxConcurrentCalls", 2), user.auth()).json().path("id").asString();
        assertThat(campaign).isNotBlank();

        // as the lead module and the campaign dispatcher publish them, inside their transactions
        transactions.executeWithoutResult(status -> {
            events.publishEvent(new LeadAnalysisCompleted(user.id(), call));
            events.publishEvent(new CampaignCompleted(user.id(), UUID.fromString(campaign)));
        });

        JsonNode lead = JSON.readTree(awaitOne(leads).body());
        assertThat(lead.path("type").asString()).isEqualTo("lead.analyzed");
        assertThat(lead.path("data").path("callId").asString()).isEqualTo(call.toString());
        assertThat(lead.path("data").path("analysis").path("totalScore").asInt()).isEqualTo(78);
        assertThat(lead.path("data").path("analysis").path("leadStatusTag").asString()).isEqualTo("Hot");
        assertThat(lead.path("data").path("analysis").path("reasoning").path("intent").asString()).isEqualTo("asked for pricing");
        JsonNode completed = JSON.readTree(awaitOne(campaigns).body());
        assertThat(completed.path("type").asString()).isEqualTo("campaign.completed");
        assertThat(completed.path("data").path("id").asString()).isEqualTo(campaign);
        assertThat(completed.path("data").path("stats").has("total")).isTrue();
    }

    @Test
    void oldEventsGoWithTheirLogsButNotWhilePending() {
        JsonNode endpoint = register("/old-" + UUID.randomUUID(), List.of("call.completed"));
        String done = oldEvent(endpoint.path("id").asString(), "succeeded");
        String pending = oldEvent(endpoint.path("id").asString(), "pending");
        String recent = jdbc.queryForObject("INSERT INTO outbound_events (user_id, type, payload) VALUES (?, "
                + "'call.completed', '{}') RETURNING id::text", String.class, user.id());

        while (outbox.prune(Duration.ofDays(30), 1000) == 1000) {
            // other tests' old events, if any
        }

        assertThat(jdbc.queryForList("SELECT id::text FROM outbound_events WHERE id IN (?::uuid, ?::uuid, ?::uuid)",
                String.class, done, pending, recent)).containsExactlyInAnyOrder(pending, recent);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?::uuid", Long.class,
                done)).isZero();
    }

    private String oldEvent(String endpointId, String status) {
        String event = jdbc.queryForObject("INSERT INTO outbound_events (user_id, type, payload, created_at) VALUES (?, "
                + "'call.completed', '{}', now() - interval '31 days') RETURNING id::text", String.class, user.id());
        jdbc.update("INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, status, next_attempt_at) "
                + "VALUES (?::uuid, ?::uuid, ?, ?, now() + interval '1 day')", event, endpointId, user.id(), status);
        return event;
    }

    @Test
    void concurrentWorkersDeliverEachEventOnceAndEachEndpointInOrder() {
        List<String> paths = new ArrayList<>();
        List<String> endpointIds = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            paths.add("/busy-" + e + "-" + UUID.randomUUID());
            endpointIds.add(register(paths.getLast(), List.of("call.completed")).path("id").asString());
        }
        jdbc.update("UPDATE webhook_endpoints SET enabled = false WHERE user_id = ?", user.id());
        jdbc.update("""
                WITH events AS (
                    INSERT INTO outbound_events (user_id, type, payload)
                    SELECT ?, 'call.completed', jsonb_build_object('type', 'call.completed', 'data', jsonb_build_object('n', n))
                      FROM generate_series(1, 200) n RETURNING id, seq)
                INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id)
                SELECT id, (?::uuid[])[1 + seq % 4], ? FROM events ORDER BY seq""", user.id(),
                endpointIds.stream().map(UUID::fromString).toArray(UUID[]::new), user.id());
        // all due at once: every worker of every running instance competes for them
        jdbc.update("UPDATE webhook_endpoints SET enabled = true WHERE user_id = ?", user.id());

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> paths.stream()
                .mapToInt(path -> RECEIVER.received(path).size()).sum() >= 200);
        for (String path : paths) {
            List<Received> received = RECEIVER.received(path);
            assertThat(received).extracting(Received::webhookId).doesNotHaveDuplicates().hasSize(50);
            List<Integer> order = received.stream().map(r -> JSON.readTree(r.body()).path("data").path("n").asInt()).toList();
            assertThat(order).isSorted();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE user_id = ? AND attempts <> 1",
                Long.class, user.id())).isZero();
    }

    private int adjust(SignedIn admin, int amount) {
        return http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", amount, "reason", "test"),
                admin.auth()).status();
    }

    private JsonNode register(String path, List<String> types) {
        Http.Response created = http.post("/api/webhook-endpoints",
                Map.of("url", RECEIVER.url(path), "events", types, "description", "test receiver"), user.auth());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("secret").asString()).startsWith("whsec_");
        return created.json();
    }

    /** Bolna reports an execution of the user's agent ended with this status; returns the call's id. */
    private UUID completeACall(String status, int seconds) {
        String execution = "exec-" + UUID.randomUUID();
        String body = """
                {"id":"%s","agent_id":"bolna-%s","status":"%s","created_at":"2026-11-25T10:00:00.000Z",
                 "updated_at":"%s","conversation_duration":%s,"total_cost":0,"transcript":null,
                 "context_details":{"recipient_phone_number":"+14155550111"},
                 "telephony_data":{"duration":"%s","to_number":"+14155550111","from_number":"+14155550111",
                   "call_type":"outbound","provider":"twilio","hangup_by":"Callee","hangup_reason":"normal"}}"""
                .formatted(execution, agent, status, Instant.now(), seconds == 0 ? "null" : seconds + ".0", seconds);
        Http.Response response = http.post("/api/webhooks/bolna?token=" + BOLNA_SECRET, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !jdbc.queryForList(
                "SELECT id FROM calls WHERE bolna_execution_id = ? AND status <> 'in_progress'", UUID.class, execution).isEmpty());
        return jdbc.queryForObject("SELECT id FROM calls WHERE bolna_execution_id = ?", UUID.class, execution);
    }

    private static Received awaitOne(String path) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !RECEIVER.received(path).isEmpty());
        return RECEIVER.received(path).getFirst();
    }

    private JsonNode awaitDeliveries(String endpointId, String status, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode log = http.get("/api/webhook-endpoints/" + endpointId + "/deliveries", user.auth()).json();
            int matching = 0;
            for (JsonNode delivery : log.path("items")) {
                matching += status.equals(delivery.path("status").asString()) ? 1 : 0;
            }
            return matching == count && log.path("totalItems").asInt() == count;
        });
        return http.get("/api/webhook-endpoints/" + endpointId + "/deliveries", user.auth()).json();
    }

    private JsonNode awaitAttempted(String endpointId) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/webhook-endpoints/" + endpointId
                + "/deliveries", user.auth()).json().path("items").path(0).path("attempts").asInt() >= 1
                && !http.get("/api/webhook-endpoints/" + endpointId + "/deliveries", user.auth()).json().path("items")
                        .path(0).path("attemptLog").isEmpty());
        return http.get("/api/webhook-endpoints/" + endpointId + "/deliveries", user.auth()).json().path("items").get(0);
    }

    /** A receiver's check, written from the specification (independently of the sender's code). */
    static boolean verifies(String secret, Received received) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                    (received.webhookId() + "." + received.timestamp() + "." + received.body()).getBytes(StandardCharsets.UTF_8)));
            for (String signature : received.signature().split(" ")) {
                if (java.security.MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
