package ai.calling.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.billing.CreditLedger;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** GET /api/auth/me/export: the tenant's own data, all of it, and nothing of another tenant. */
@IntegrationTest
class TenantExportTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CreditLedger ledger;

    @Autowired
    TransactionTemplate transactions;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void theExportHoldsTheTenantsContactsCallsAndLedgerAndNothingOfAnotherTenant() {
        SignedIn user = TestUsers.register(http);
        SignedIn other = TestUsers.register(http);
        UUID agent = insertAgent(user.id());
        UUID call = insertCall(user.id(), agent, "+14155550101", "We talked about pricing for three outlets");
        UUID otherAgent = insertAgent(other.id());
        UUID otherCall = insertCall(other.id(), otherAgent, "+14155550199", "Confidential words of another tenant");
        assertThat(http.post("/api/contacts", Map.of("phoneNumber", "+14155550101", "name", "Asha Rao"), user.auth())
                .status()).isEqualTo(201);
        assertThat(http.post("/api/contacts", Map.of("phoneNumber", "+14155550199", "name", "Somebody Else"),
                other.auth()).status()).isEqualTo(201);

        Http.Response export = http.get("/api/auth/me/export", user.auth());

        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/json");
        assertThat(export.header("Content-Disposition")).contains("attachment");
        JsonNode body = export.json();
        assertThat(body.path("account").path("id").asString()).isEqualTo(user.id().toString());
        assertThat(body.path("account").path("email").asString()).isEqualTo(user.email());
        assertThat(body.path("contacts").findValuesAsString("name")).containsExactly("Asha Rao");
        assertThat(body.path("calls").findValuesAsString("id")).containsExactly(call.toString());
        assertThat(body.path("calls").get(0).path("durationSeconds").asInt()).isEqualTo(61);
        assertThat(body.path("transcripts").findValuesAsString("content"))
                .containsExactly("We talked about pricing for three outlets");
        assertThat(body.path("creditTransactions").size()).isOne();
        assertThat(body.path("creditTransactions").get(0).path("type").asString()).isEqualTo("bonus");
        assertThat(body.path("creditTransactions").get(0).path("balanceAfter").asInt()).isEqualTo(15);
        assertThat(body.path("agents").findValuesAsString("id")).containsExactly(agent.toString());
        assertThat(export.body()).doesNotContain(other.id().toString(), other.email(), otherCall.toString(),
                otherAgent.toString(), "Somebody Else", "Confidential", "+14155550199");
    }

    @Test
    void withoutATokenThereIsNoExport() {
        Http.Response refused = http.get("/api/auth/me/export");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    /**
     * The ledger is exported in its own order: rows written in one transaction share their time, and by time and
     * then id (random) their balances did not follow on from one another.
     */
    @Test
    void theLedgerIsExportedInItsOrderEachBalanceFollowingOnFromThePrevious() {
        SignedIn user = TestUsers.register(http);
        UUID agent = insertAgent(user.id());
        List<UUID> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(insertCall(user.id(), agent, "+1415555020" + i, "call " + i));
        }
        transactions.executeWithoutResult(status -> ledger.settleAll(calls.stream()
                .map(call -> new CreditLedger.Settlement(user.id(), call, 1, "a call")).toList()));

        JsonNode ledgerRows = http.get("/api/auth/me/export", user.auth()).json().path("creditTransactions");

        assertThat(ledgerRows.size()).isEqualTo(9);
        for (int i = 1; i < ledgerRows.size(); i++) {
            assertThat(ledgerRows.get(i).path("balanceAfter").asInt()).as("row %d", i).isEqualTo(
                    ledgerRows.get(i - 1).path("balanceAfter").asInt() + ledgerRows.get(i).path("amount").asInt());
        }
    }

    /**
     * The database connection lost in the middle of an export: what the client receives cannot pass for a whole
     * export (the generator closed every open array and object on the way out, so the file parsed, with the
     * sections after the failure simply missing).
     */
    @Test
    void anExportBrokenOffMidwayCannotBeTakenForAWholeOne() throws Exception {
        SignedIn user = userWithManyCalls();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(exportOf(user),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean broken = false;
        try (InputStream body = response.body()) {
            received.write(body.readNBytes(64 * 1024));
            // the export waits for the client with its cursor open: its connection is cut there
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()
                       AND query ILIKE '%FROM report_calls%'""", Long.class) > 0);
            body.transferTo(received);
        } catch (IOException cutShort) {
            broken = true;
        }

        // a transfer the client sees broken off cannot be taken for a whole export either
        if (!broken) {
            assertThatThrownBy(() -> JSON.readTree(received.toByteArray())).as("a whole JSON document")
                    .isInstanceOf(JacksonException.class);
        }
    }

    /**
     * Exports whose clients read slowly hold a connection each: beyond the instance's places (2) one more is a 429
     * with Retry-After, and a place comes back when its export ends (stalled downloads took the whole pool).
     */
    @Test
    void exportsBeyondTheInstancesPlacesAreRefusedUntilOneEnds() throws Exception {
        SignedIn user = userWithManyCalls();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = exportOf(user);
        List<InputStream> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                HttpResponse<InputStream> slow = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                assertThat(slow.statusCode()).isEqualTo(200);
                stalled.add(slow.body());
                assertThat(slow.body().readNBytes(1024)).hasSize(1024);
            }

            Http.Response refused = http.get("/api/auth/me/export", user.auth());

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotBlank();
        } finally {
            for (InputStream body : stalled) {
                body.close();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                http.get("/api/auth/me/export", user.auth()).status() == 200);
    }

    /**
     * An account with 20,000 calls: an export of several megabytes, more than the sockets' buffers hold. Ended
     * (cancelled: the rollups count none, row by row beyond a thousand in one statement), so that reconciliation,
     * which looks at every unfinished call of the shared test database, does not fetch them all in later tests.
     */
    private SignedIn userWithManyCalls() {
        SignedIn user = TestUsers.register(http);
        UUID agent = insertAgent(user.id());
        jdbc.update("""
                INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, duration_seconds)
                SELECT ?, ?, 'exec-' || gen_random_uuid(), '+1415555' || lpad(n::text, 4, '0'), 'cancelled', 61
                  FROM generate_series(1, 20000) AS n""", user.id(), agent);
        return user;
    }

    /** The export's request, for a client that reads the answer at its own pace. */
    private HttpRequest exportOf(SignedIn user) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/auth/me/export"))
                .header("Authorization", user.auth()[1]).build();
    }

    private UUID insertAgent(UUID userId) {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Bot')", agent, userId,
                "bolna-" + agent);
        return agent;
    }

    private UUID insertCall(UUID userId, UUID agentId, String phone, String transcript) {
        UUID call = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status, duration_seconds)
                VALUES (?, ?, ?, ?, ?, 'completed', 61)""", call, userId, agentId, "exec-" + call, phone);
        jdbc.update("INSERT INTO transcripts (call_id, user_id, content) VALUES (?, ?, ?)", call, userId, transcript);
        return call;
    }
}
