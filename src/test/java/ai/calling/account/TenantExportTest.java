package ai.calling.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import tools.jackson.databind.JsonNode;

/** GET /api/auth/me/export: the tenant's own data, all of it, and nothing of another tenant. */
@IntegrationTest
class TenantExportTest {

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
