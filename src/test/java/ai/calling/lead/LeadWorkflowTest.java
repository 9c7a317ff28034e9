package ai.calling.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** Follow-ups, customer conversion and smart notifications over HTTP. */
@IntegrationTest
class LeadWorkflowTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
    }

    @Test
    void followUpsAreDatedTodayOrLaterAndMoveThroughTheirStatuses() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(http.post("/api/follow-ups", Map.of("leadPhone", "+14155550190", "followUpDate",
                today.minusDays(1).toString(), "remark", "late"), user.auth()).status()).isEqualTo(400);
        assertThat(http.post("/api/follow-ups", Map.of("leadPhone", "nope", "followUpDate", today.toString()), user.auth())
                .status()).isEqualTo(400);
        Http.Response created = http.post("/api/follow-ups", Map.of("leadPhone", "(415) 555-0190", "leadName", "Asha",
                "followUpDate", today.plusDays(2).toString(), "remark", "send pricing"), user.auth());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("leadPhone").asString()).isEqualTo("+14155550190");
        String id = created.json().path("id").asString();

        Http.Response completed = http.patch("/api/follow-ups/" + id, Map.of("status", "completed"), user.auth());
        assertThat(completed.json().path("isCompleted").asBoolean()).isTrue();
        assertThat(completed.json().path("completedBy").asString()).isEqualTo(user.id().toString());
        assertThat(http.patch("/api/follow-ups/" + id, Map.of("status", "done"), user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/follow-ups?status=completed", user.auth()).json().path("totalItems").asLong()).isOne();
        assertThat(http.get("/api/follow-ups?status=pending", user.auth()).json().path("totalItems").asLong()).isZero();
        assertThat(http.delete("/api/follow-ups/" + id, user.auth()).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM follow_ups WHERE user_id = ?", Long.class, user.id())).isZero();
    }

    @Test
    void aContactIsConvertedOnceIntoACustomerWithAReference() {
        String contact = http.post("/api/contacts", Map.of("phoneNumber", "+14155550191", "name", "Rao Foods buyer",
                "company", "Rao Foods"), user.auth()).json().path("id").asString();

        Http.Response customer = http.post("/api/customers", Map.of("contactId", contact, "assignedSalesRep", "Meera"),
                user.auth());

        assertThat(customer.status()).isEqualTo(201);
        assertThat(customer.json().path("customerReferenceNumber").asString()).matches("CUST-\\d{4}-\\d{4,}");
        assertThat(customer.json().path("company").asString()).isEqualTo("Rao Foods");
        assertThat(http.get("/api/contacts/" + contact, user.auth()).json().path("isCustomer").asBoolean()).isTrue();
        assertThat(http.post("/api/customers", Map.of("contactId", contact), user.auth()).status()).isEqualTo(409);
        String id = customer.json().path("id").asString();
        Http.Response churned = http.patch("/api/customers/" + id, Map.of("status", "Churned", "notes", "moved away"),
                user.auth());
        assertThat(churned.json().path("status").asString()).isEqualTo("Churned");
        assertThat(http.patch("/api/customers/" + id, Map.of("status", "Gone"), user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/customers", user.auth()).json().path("totalItems").asLong()).isOne();
        SignedIn stranger = TestUsers.register(http);
        assertThat(http.post("/api/customers", Map.of("contactId", contact), stranger.auth()).status()).isEqualTo(404);
    }

    @Test
    void smartNotificationsAreListedUnreadFirstAndCanBeRead() {
        UUID first = analysis(call(), "Asha wants pricing for 3 outlets");
        analysis(call(), "Ben asked for a demo on Friday");

        Http.Response listed = http.get("/api/notifications", user.auth());
        assertThat(listed.json().path("unreadCount").asLong()).isEqualTo(2);
        assertThat(http.post("/api/notifications/" + first + "/read", "", user.auth()).status()).isEqualTo(204);
        Http.Response after = http.get("/api/notifications", user.auth());
        assertThat(after.json().path("unreadCount").asLong()).isOne();
        assertThat(after.json().path("items").path(0).path("isRead").asBoolean()).isFalse();
        assertThat(http.post("/api/notifications/read-all", "", user.auth()).json().path("marked").asInt()).isOne();
        assertThat(http.get("/api/notifications", user.auth()).json().path("unreadCount").asLong()).isZero();
    }

    @Test
    void withoutAnyPromptConfiguredTheAnalysisFailsWithAClearReason() {
        UUID call = call();
        jdbc.update("INSERT INTO transcripts (call_id, user_id, content) VALUES (?, ?, 'user: hello')", call, user.id());

        assertThat(http.post("/api/calls/" + call + "/analysis/retry", "", user.auth()).status()).isEqualTo(202);

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("SELECT analysis_status FROM transcripts WHERE call_id = ?", String.class,
                        call)).isEqualTo("failed"));
        assertThat(jdbc.queryForObject("SELECT last_error FROM lead_analysis_jobs WHERE call_id = ?", String.class, call))
                .contains("No individual prompt configured");
    }

    @Test
    void leadsAreListedPerNumberWithTheirCompleteAnalysisAndHaveATimeline() {
        UUID hot = callTo("+14155550301");
        callTo("+14155550301");
        UUID cold = callTo("+14155550302");
        complete(hot, "+14155550301", 88, "Hot");
        complete(cold, "+14155550302", 30, "Cold");
        http.post("/api/follow-ups", Map.of("leadPhone", "+14155550301", "followUpDate",
                LocalDate.now(ZoneOffset.UTC).plusDays(3).toString()), user.auth());

        Http.Response byScore = http.get("/api/leads?sort=score", user.auth());
        assertThat(byScore.json().path("totalItems").asLong()).isEqualTo(2);
        assertThat(byScore.json().path("items").path(0).path("phoneNumber").asString()).isEqualTo("+14155550301");
        assertThat(byScore.json().path("items").path(0).path("calls").asLong()).isEqualTo(2);
        assertThat(byScore.json().path("items").path(0).path("nextFollowUp").asString()).isNotBlank();
        assertThat(http.get("/api/leads?tag=Cold", user.auth()).json().path("items").findValuesAsString("phoneNumber"))
                .containsExactly("+14155550302");
        assertThat(http.get("/api/leads?minScore=50", user.auth()).json().path("totalItems").asLong()).isOne();
        assertThat(http.get("/api/leads?tag=Lukewarm", user.auth()).status()).isEqualTo(400);

        Http.Response timeline = http.get("/api/leads/+14155550301", user.auth());
        assertThat(timeline.status()).isEqualTo(200);
        assertThat(timeline.json().path("calls").size()).isEqualTo(2);
        assertThat(timeline.json().path("completeAnalysis").path("totalScore").asInt()).isEqualTo(88);
        assertThat(timeline.json().path("followUps").size()).isOne();
        assertThat(http.get("/api/leads/+14155550399", user.auth()).status()).isEqualTo(404);
    }

    private UUID callTo(String phone) {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'A')", agent, user.id(),
                "bolna-" + agent);
        UUID call = UUID.randomUUID();
        jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number) VALUES (?, ?, ?, ?, ?)",
                call, user.id(), agent, "exec-" + call, phone);
        return call;
    }

    private void complete(UUID call, String phone, int score, String tag) {
        jdbc.update("INSERT INTO lead_analytics (call_id, user_id, phone_number, analysis_type, total_score, "
                + "lead_status_tag) VALUES (?, ?, ?, 'complete', ?, ?)", call, user.id(), phone, score, tag);
    }

    private UUID call() {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'A')", agent, user.id(),
                "bolna-" + agent);
        UUID call = UUID.randomUUID();
        jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number) "
                + "VALUES (?, ?, ?, ?, '+14155550192')", call, user.id(), agent, "exec-" + call);
        return call;
    }

    private UUID analysis(UUID call, String notification) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO lead_analytics (id, call_id, user_id, phone_number, total_score, lead_status_tag,
                                            smart_notification)
                VALUES (?, ?, ?, '+14155550192', 80, 'Hot', ?)""", id, call, user.id(), notification);
        return id;
    }
}
