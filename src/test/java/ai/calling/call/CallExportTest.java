package ai.calling.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** GET /api/calls/export (CSV, the list's filters) and GET /api/calls/{id}/transcript?format=txt|json. */
@IntegrationTest
class CallExportTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn user;
    UUID agent;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        agent = agent(user.id());
    }

    @Test
    void theCsvHoldsTheTenantsCallsWithTheListsFiltersAndIsFormulaSafe() throws Exception {
        UUID completed = call(user.id(), agent, "+14155550101", "=HYPERLINK(\"http://evil.example\")", "completed");
        UUID failed = call(user.id(), agent, "+14155550102", "Asha", "failed");
        jdbc.update("INSERT INTO lead_analytics (call_id, user_id, analysis_type, lead_status_tag, total_score) "
                + "VALUES (?, ?, 'individual', 'Hot', 87)", completed, user.id());
        SignedIn other = TestUsers.register(http);
        UUID foreign = call(other.id(), agent(other.id()), "+14155550199", "Other", "completed");

        Http.Response all = http.get("/api/calls/export", user.auth());

        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.contentType()).startsWith("text/csv");
        assertThat(all.header("Content-Disposition")).contains("calls.csv");
        List<CSVRecord> rows = parse(all.body());
        assertThat(rows).extracting(r -> r.get("id")).containsExactlyInAnyOrder(completed.toString(), failed.toString());
        CSVRecord hot = rows.stream().filter(r -> r.get("id").equals(completed.toString())).findFirst().orElseThrow();
        assertThat(hot.get("caller_name")).isEqualTo("'=HYPERLINK(\"http://evil.example\")");
        assertThat(hot.get("phone_number")).isEqualTo("+14155550101");
        assertThat(hot.get("lead_score")).isEqualTo("87");
        assertThat(hot.get("lead_tag")).isEqualTo("Hot");
        assertThat(hot.get("duration_seconds")).isEqualTo("61");
        assertThat(hot.get("credits_used")).isEqualTo("2");
        assertThat(all.body()).doesNotContain(foreign.toString());

        assertThat(parse(http.get("/api/calls/export?status=failed", user.auth()).body())).extracting(r -> r.get("id"))
                .containsExactly(failed.toString());
        assertThat(parse(http.get("/api/calls/export?phone=0101", user.auth()).body())).extracting(r -> r.get("id"))
                .containsExactly(completed.toString());
        assertThat(parse(http.get("/api/calls/export?agentId=" + UUID.randomUUID(), user.auth()).body())).isEmpty();
    }

    @Test
    void badFiltersAre400ProblemDetailsBeforeAnyCsvIsWritten() {
        for (String query : List.of("status=done", "leadType=x", "from=yesterday", "agentId=nope", "callSource=fax")) {
            Http.Response refused = http.get("/api/calls/export?" + query, user.auth());
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.contentType()).as(query).startsWith("application/problem+json");
        }
        assertThat(http.get("/api/calls/export").status()).isEqualTo(401);
    }

    @Test
    void aTranscriptComesAsTextTurnsOrAsJson() {
        UUID call = call(user.id(), agent, "+14155550101", "Asha", "completed");
        jdbc.update("""
                INSERT INTO transcripts (call_id, user_id, content, speaker_segments) VALUES (?, ?, ?, CAST(? AS jsonb))""",
                call, user.id(), "assistant: Hello!\nuser: Hi, tell me the price.",
                "[{\"speaker\":\"assistant\",\"text\":\"Hello!\"},{\"speaker\":\"user\",\"text\":\"Hi, tell me the price.\"}]");

        Http.Response text = http.get("/api/calls/" + call + "/transcript?format=txt", user.auth());
        assertThat(text.status()).as(text.body()).isEqualTo(200);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.header("Content-Disposition")).contains("attachment").contains(".txt");
        assertThat(text.body()).contains("Agent: Hello!\n\nCaller: Hi, tell me the price.\n");

        Http.Response json = http.get("/api/calls/" + call + "/transcript?format=json", user.auth());
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("Content-Disposition")).contains(".json");
        assertThat(json.json().path("speakerSegments").get(1).path("speaker").asString()).isEqualTo("user");
        assertThat(http.get("/api/calls/" + call + "/transcript", user.auth()).json().path("content").asString())
                .startsWith("assistant: Hello!");

        assertThat(http.get("/api/calls/" + call + "/transcript?format=pdf", user.auth()).status()).isEqualTo(400);
        SignedIn stranger = TestUsers.register(http);
        assertThat(http.get("/api/calls/" + call + "/transcript?format=txt", stranger.auth()).status()).isEqualTo(404);
    }

    private static List<CSVRecord> parse(String csv) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))
                .getRecords();
    }

    private UUID agent(UUID userId) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Bot')", id, userId,
                "bolna-" + id);
        return id;
    }

    private UUID call(UUID userId, UUID agentId, String phone, String callerName, String status) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, caller_name, status,
                                   duration_seconds, duration_minutes, credits_used)
                VALUES (?, ?, ?, ?, ?, ?, ?, 61, 2, 2)""", id, userId, agentId, "exec-" + id, phone, callerName, status);
        return id;
    }
}
