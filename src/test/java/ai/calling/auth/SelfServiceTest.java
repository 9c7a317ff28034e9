package ai.calling.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.agent.internal.AgentRemovalWorker;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** A user's own account: name, password, sessions, closure; over HTTP against a fake Bolna. */
@IntegrationTest
class SelfServiceTest {

    static final WireMockServer BOLNA = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        BOLNA.start();
    }

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.api-key", () -> "bn-test-key");
        registry.add("app.bolna.base-url", BOLNA::baseUrl);
        registry.add("app.bolna.webhook-secret", () -> "hook-secret");
        // generous: the machine may be busy, and no test here needs a Bolna timeout
        registry.add("app.bolna.read-timeout", () -> "10s");
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
    AgentRemovalWorker agentRemovals;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        BOLNA.resetAll();
    }

    @Test
    void theNameChangesAndBadNamesAreRefusedWithNothingWritten() {
        SignedIn user = TestUsers.register(http);

        Http.Response changed = http.patch("/api/auth/me", Map.of("name", "  Asha Rao  "), user.auth());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("name").asString()).isEqualTo("Asha Rao");

        for (Object bad : List.of(Map.of("name", " "), Map.of("name", "Line\nbreak"), Map.of("name", "x".repeat(256)),
                Map.of(), "not json")) {
            Http.Response refused = http.patch("/api/auth/me", bad, user.auth());
            assertThat(refused.status()).as("%s", bad).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(jdbc.queryForObject("SELECT name FROM users WHERE id = ?", String.class, user.id()))
                .isEqualTo("Asha Rao");
        assertThat(http.patch("/api/auth/me", Map.of("name", "X")).status()).isEqualTo(401);
    }

    @Test
    void changingThePasswordSignsOutEveryOtherSessionAndItsRefreshFails() {
        SignedIn here = TestUsers.register(http);
        SignedIn elsewhere = TestUsers.login(http, here.email());

        Http.Response wrong = http.post("/api/auth/change-password",
                Map.of("currentPassword", "Not-The-Password-1", "newPassword", "Another-Horse-77"), here.auth());
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("errors").findValuesAsString("field")).contains("currentPassword");
        Http.Response weak = http.post("/api/auth/change-password",
                Map.of("currentPassword", TestUsers.PASSWORD, "newPassword", "short"), here.auth());
        assertThat(weak.status()).isEqualTo(400);
        assertThat(http.get("/api/auth/me", elsewhere.auth()).status()).as("nothing changed yet").isEqualTo(200);

        Http.Response changed = http.post("/api/auth/change-password",
                Map.of("currentPassword", TestUsers.PASSWORD, "newPassword", "Another-Horse-77"), here.auth());

        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertThat(http.get("/api/auth/me", here.auth()).status()).as("the session that changed it").isEqualTo(200);
        assertThat(http.get("/api/auth/me", elsewhere.auth()).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", elsewhere.refreshToken())).status())
                .as("the other session's refresh").isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", here.refreshToken())).status()).isEqualTo(200);
        assertThat(http.post("/api/auth/login", Map.of("email", here.email(), "password", TestUsers.PASSWORD)).status())
                .isEqualTo(401);
        assertThat(http.post("/api/auth/login", Map.of("email", here.email(), "password", "Another-Horse-77"))
                .status()).isEqualTo(200);
    }

    @Test
    void sessionsAreListedAndEndedOneByOneButNeverAnotherUsers() {
        SignedIn here = TestUsers.register(http);
        SignedIn elsewhere = TestUsers.login(http, here.email());
        SignedIn stranger = TestUsers.register(http);

        Http.Response listed = http.get("/api/auth/sessions", here.auth());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("totalItems").asLong()).isEqualTo(2);
        var items = listed.json().path("items");
        String current = null;
        String other = null;
        for (var item : items) {
            if (item.path("current").asBoolean()) {
                current = item.path("id").asString();
            } else {
                other = item.path("id").asString();
            }
        }
        assertThat(current).isNotNull();
        assertThat(other).isNotNull();
        String strangers = http.get("/api/auth/sessions", stranger.auth()).json().path("items").get(0).path("id")
                .asString();

        assertThat(http.delete("/api/auth/sessions/" + strangers, here.auth()).status()).isEqualTo(404);
        assertThat(http.get("/api/auth/me", stranger.auth()).status()).isEqualTo(200);
        assertThat(http.delete("/api/auth/sessions/" + UUID.randomUUID(), here.auth()).status()).isEqualTo(404);
        assertThat(http.delete("/api/auth/sessions/not-a-uuid", here.auth()).status()).isEqualTo(400);

        assertThat(http.delete("/api/auth/sessions/" + other, here.auth()).status()).isEqualTo(204);
        assertThat(http.get("/api/auth/me", elsewhere.auth()).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", elsewhere.refreshToken())).status())
                .isEqualTo(401);
        assertThat(http.delete("/api/auth/sessions/" + other, here.auth()).status()).as("already ended").isEqualTo(404);
        assertThat(http.get("/api/auth/sessions", here.auth()).json().path("totalItems").asLong()).isOne();
    }

    @Test
    void aClosedAccountCannotSignInItsAgentsAreDeletedAtBolnaAndItsContactsErased() {
        SignedIn user = TestUsers.register(http);
        SignedIn other = TestUsers.register(http);
        String agent = createAgent(user, "bolna-" + UUID.randomUUID());
        String bolnaId = jdbc.queryForObject("SELECT bolna_agent_id FROM agents WHERE id = ?::uuid", String.class, agent);
        UUID call = insertCall(user.id(), UUID.fromString(agent), "+14155550101", "We talked about pricing");
        assertThat(http.post("/api/contacts", Map.of("phoneNumber", "+14155550101", "name", "Asha Rao", "email",
                "asha@example.test"), user.auth()).status()).isEqualTo(201);
        String campaign = http.post("/api/campaigns", Map.of("name", "Spring", "agentId", agent, "timezone", "UTC",
                "callingWindow", Map.of("start", "09:00", "end", "17:00", "days", List.of("MON")),
                "maxConcurrentCalls", 1), user.auth()).json().path("id").asString();
        String otherAgent = createAgent(other, "bolna-" + UUID.randomUUID());
        insertCall(other.id(), UUID.fromString(otherAgent), "+14155550199", "Another tenant's words");
        BOLNA.stubFor(delete(urlPathMatching("/v2/agent/.*")).willReturn(aResponse().withStatus(200)));
        String key = http.post("/api/api-keys", Map.of("name", "CRM"), user.auth()).json().path("key").asString();
        assertThat(http.get("/api/contacts", Http.bearer(key)).status()).isEqualTo(200);
        for (SignedIn tenant : List.of(user, other)) {
            // an endpoint with a pending delivery of a lead's event, a notice and a live reader's mark
            UUID endpoint = jdbc.queryForObject("INSERT INTO webhook_endpoints (user_id, url, events, secret) VALUES (?, "
                    + "'https://hooks.example.test/calls', ARRAY['lead.analyzed']::varchar[], 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La"
                    + "LaSw') RETURNING id", UUID.class, tenant.id());
            UUID event = jdbc.queryForObject("INSERT INTO outbound_events (user_id, type, payload) VALUES (?, "
                    + "'lead.analyzed', '{\"name\":\"Asha Rao\",\"email\":\"asha@example.test\"}') RETURNING id", UUID.class,
                    tenant.id());
            jdbc.update("INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id) VALUES (?, ?, ?)", event, endpoint,
                    tenant.id());
            jdbc.update("INSERT INTO live_event_readers (user_id) VALUES (?)", tenant.id());
        }

        Http.Response wrong = http.send("DELETE", "/api/auth/me", "application/json",
                "{\"password\":\"Not-The-Password-1\"}", user.auth());
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(http.send("DELETE", "/api/auth/me", "application/json", "{}", user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/auth/me", user.auth()).status()).as("nothing happened").isEqualTo(200);

        Http.Response closed = http.send("DELETE", "/api/auth/me", "application/json",
                "{\"password\":\"" + TestUsers.PASSWORD + "\"}", user.auth());

        assertThat(closed.status()).as(closed.body()).isEqualTo(204);
        assertThat(http.get("/api/auth/me", user.auth()).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", user.refreshToken())).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/login", Map.of("email", user.email(), "password", TestUsers.PASSWORD)).status())
                .isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT NOT is_active AND closed_at IS NOT NULL FROM users WHERE id = ?",
                Boolean.class, user.id())).isTrue();
        // the account's API keys fail at once and are revoked
        assertThat(http.get("/api/contacts", Http.bearer(key)).status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE user_id = ? AND revoked_at IS NULL",
                Long.class, user.id())).isZero();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> BOLNA.verify(1, deleteRequestedFor(urlPathEqualTo("/v2/agent/" + bolnaId))));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT NOT bolna_deletion_pending AND NOT is_active FROM agents WHERE id = ?::uuid", Boolean.class, agent));
        assertThat(jdbc.queryForObject("SELECT status FROM campaigns WHERE id = ?::uuid", String.class, campaign))
                .isEqualTo("cancelled");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM transcripts WHERE user_id = ?", Long.class, user.id()))
                .isZero();
        assertThat(jdbc.queryForMap("SELECT caller_name, recording_url FROM calls WHERE id = ?", call))
                .containsEntry("caller_name", null).containsEntry("recording_url", null);
        assertThat(jdbc.queryForMap("SELECT name, email FROM contacts WHERE user_id = ?", user.id()))
                .containsEntry("name", null).containsEntry("email", null);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ?", Long.class,
                user.id())).as("the ledger stays").isPositive();
        assertThat(jdbc.queryForObject("SELECT email FROM users WHERE id = ?", String.class, user.id()))
                .doesNotContain(user.email());
        // its integrations: nothing left to deliver to, no lead data kept in events
        for (String table : List.of("webhook_endpoints", "outbound_events", "webhook_deliveries", "live_event_readers")) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE user_id = ?", Long.class, user.id()))
                    .as(table).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE user_id = ?", Long.class, other.id()))
                    .as("the other tenant's " + table).isOne();
        }
        // the other tenant is untouched
        assertThat(jdbc.queryForObject("SELECT count(*) FROM transcripts WHERE user_id = ?", Long.class, other.id()))
                .isOne();
        assertThat(jdbc.queryForObject("SELECT is_active FROM agents WHERE id = ?::uuid", Boolean.class, otherAgent))
                .isTrue();
        BOLNA.verify(0, deleteRequestedFor(urlPathEqualTo("/v2/agent/" + jdbc.queryForObject(
                "SELECT bolna_agent_id FROM agents WHERE id = ?::uuid", String.class, otherAgent))));
        assertThat(http.get("/api/auth/me", other.auth()).status()).isEqualTo(200);
    }

    @Test
    void whenBolnaFailsTheDeletionStaysRecordedAndIsRetried() {
        SignedIn user = TestUsers.register(http);
        String agent = createAgent(user, "bolna-" + UUID.randomUUID());
        BOLNA.stubFor(delete(urlPathMatching("/v2/agent/.*")).willReturn(aResponse().withStatus(503)));

        assertThat(http.send("DELETE", "/api/auth/me", "application/json",
                "{\"password\":\"" + TestUsers.PASSWORD + "\"}", user.auth()).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(BOLNA.findAll(deleteRequestedFor(urlPathMatching("/v2/agent/.*")))).hasSizeGreaterThan(0));
        assertThat(jdbc.queryForObject("SELECT bolna_deletion_pending AND NOT is_active FROM agents WHERE id = ?::uuid",
                Boolean.class, agent)).as("the intent stays while Bolna fails").isTrue();

        BOLNA.stubFor(delete(urlPathMatching("/v2/agent/.*")).willReturn(aResponse().withStatus(200)));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            agentRemovals.removePending();
            assertThat(jdbc.queryForObject("SELECT bolna_deletion_pending FROM agents WHERE id = ?::uuid",
                    Boolean.class, agent)).isFalse();
        });
    }

    @Test
    void twoClosuresAtOnceCloseTheAccountOnceAndDeleteEachAgentOnce() throws Exception {
        SignedIn user = TestUsers.register(http);
        SignedIn second = TestUsers.login(http, user.email());
        String agent = createAgent(user, "bolna-" + UUID.randomUUID());
        String bolnaId = jdbc.queryForObject("SELECT bolna_agent_id FROM agents WHERE id = ?::uuid", String.class, agent);
        BOLNA.stubFor(delete(urlPathMatching("/v2/agent/.*")).willReturn(aResponse().withStatus(200)));
        String body = "{\"password\":\"" + TestUsers.PASSWORD + "\"}";

        var start = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var first = pool.submit(() -> {
                start.await();
                return http.send("DELETE", "/api/auth/me", "application/json", body, user.auth()).status();
            });
            var other = pool.submit(() -> {
                start.await();
                return http.send("DELETE", "/api/auth/me", "application/json", body, second.auth()).status();
            });
            start.countDown();
            assertThat(List.of(first.get(), other.get())).containsExactlyInAnyOrder(204, 401);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !jdbc.queryForObject(
                "SELECT bolna_deletion_pending FROM agents WHERE id = ?::uuid", Boolean.class, agent));
        BOLNA.verify(1, deleteRequestedFor(urlPathEqualTo("/v2/agent/" + bolnaId)));
    }

    @Test
    void aClosedAccountCannotBeReactivatedByAnAdmin() {
        SignedIn user = TestUsers.register(http);
        SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "admin");
        assertThat(http.send("DELETE", "/api/auth/me", "application/json",
                "{\"password\":\"" + TestUsers.PASSWORD + "\"}", user.auth()).status()).isEqualTo(204);

        Http.Response refused = http.patch("/api/admin/users/" + user.id() + "/status", Map.of("active", true), admin.auth());

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(jdbc.queryForObject("SELECT is_active FROM users WHERE id = ?", Boolean.class, user.id())).isFalse();
    }

    private String createAgent(SignedIn owner, String bolnaId) {
        BOLNA.stubFor(post(urlPathEqualTo("/v2/agent")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"agent_id\":\"" + bolnaId + "\",\"status\":\"created\"}")));
        Http.Response response = http.post("/api/agents", Map.of("name", "Bot", "agentType", "call", "welcomeMessage",
                "Hello!", "systemPrompt", "Be helpful.", "voiceConfig", Map.of("provider", "elevenlabs", "voice", "Nila")),
                owner.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    private UUID insertCall(UUID userId, UUID agentId, String phone, String transcript) {
        UUID call = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, caller_name, status,
                                   recording_url, duration_seconds)
                VALUES (?, ?, ?, ?, ?, 'Asha Rao', 'completed', 'https://recordings.example.test/a.mp3', 61)""",
                call, userId, agentId, "exec-" + call, phone);
        jdbc.update("INSERT INTO transcripts (call_id, user_id, content) VALUES (?, ?, ?)", call, userId, transcript);
        return call;
    }
}
