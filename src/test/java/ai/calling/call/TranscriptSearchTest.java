package ai.calling.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.JsonNode;

/** GET /api/transcripts/search: web-search syntax over the caller's transcripts only. */
@IntegrationTest
class TranscriptSearchTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn user;
    UUID agent;
    String marker;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        agent = agent(user.id());
        // a word of this test only, so that other tests' transcripts never count
        marker = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void aPhraseIsFoundInTheTenantsTranscriptAndNeverInAnotherTenants() {
        SignedIn other = TestUsers.register(http);
        UUID mine = call(user.id(), agent, "assistant: we offer annual pricing plans " + marker + ". user: sounds good",
                Instant.parse("2026-05-01T10:00:00Z"));
        call(other.id(), agent(other.id()), "assistant: annual pricing plans " + marker + " for another tenant",
                Instant.parse("2026-05-01T10:00:00Z"));

        JsonNode found = search(user, "\"annual pricing plans\" " + marker).json();

        assertThat(found.path("totalItems").asLong()).isOne();
        JsonNode hit = found.path("items").get(0);
        assertThat(hit.path("callId").asString()).isEqualTo(mine.toString());
        assertThat(hit.path("agentId").asString()).isEqualTo(agent.toString());
        assertThat(hit.path("phoneNumber").asString()).isEqualTo("+14155550123");
        assertThat(hit.path("createdAt").asString()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(hit.path("snippet").asString()).contains("**annual**").contains("**pricing**");
        assertThat(search(other, marker).json().path("items").findValuesAsString("callId")).doesNotContain(mine.toString());
    }

    @Test
    void quotesMeanAnExactPhraseAndAMinusExcludesAWord() {
        UUID phrase = call(user.id(), agent, "we can book a demo call next week " + marker, Instant.now());
        UUID scattered = call(user.id(), agent, "the call about a demo was booked " + marker, Instant.now());
        UUID refund = call(user.id(), agent, "she asked for a demo and a refund " + marker, Instant.now());

        assertThat(ids(search(user, "\"demo call\" " + marker))).containsExactly(phrase.toString());
        assertThat(ids(search(user, "demo call " + marker))).containsExactlyInAnyOrder(phrase.toString(),
                scattered.toString());
        assertThat(ids(search(user, "demo -refund " + marker))).containsExactlyInAnyOrder(phrase.toString(),
                scattered.toString());
        assertThat(ids(search(user, "refund OR booked " + marker))).containsExactlyInAnyOrder(refund.toString(),
                scattered.toString(), phrase.toString());
        // English stemming: "booking" finds "book" and "booked"
        assertThat(ids(search(user, "booking " + marker))).containsExactlyInAnyOrder(phrase.toString(),
                scattered.toString());
        // the simple configuration keeps stop words for exact phrases English would drop
        assertThat(ids(search(user, "\"a demo was\" " + marker))).containsExactly(scattered.toString());
    }

    @Test
    void filtersNarrowByAgentDateCampaignAndLeadTagAndTheBestMatchComesFirst() {
        UUID otherAgent = agent(user.id());
        UUID early = call(user.id(), agent, "pricing " + marker, Instant.parse("2026-01-10T00:00:00Z"));
        UUID late = call(user.id(), agent, "pricing pricing pricing " + marker + " pricing",
                Instant.parse("2026-03-10T00:00:00Z"));
        UUID byOtherAgent = call(user.id(), otherAgent, "pricing " + marker, Instant.parse("2026-02-10T00:00:00Z"));
        jdbc.update("INSERT INTO lead_analytics (call_id, user_id, analysis_type, lead_status_tag) VALUES (?, ?, "
                + "'individual', 'Hot')", early, user.id());

        assertThat(ids(search(user, "pricing " + marker))).as("ranked").first().isEqualTo(late.toString());
        assertThat(ids(search(user, "pricing " + marker + "&agentId=" + otherAgent, true)))
                .containsExactly(byOtherAgent.toString());
        assertThat(ids(search(user, "pricing " + marker + "&from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z", true)))
                .containsExactly(byOtherAgent.toString());
        assertThat(ids(search(user, "pricing " + marker + "&leadTag=Hot", true))).containsExactly(early.toString());
        assertThat(ids(search(user, "pricing " + marker + "&campaignId=" + UUID.randomUUID(), true))).isEmpty();
        Http.Response paged = http.get("/api/transcripts/search?q=" + enc("pricing " + marker) + "&size=2&page=1",
                user.auth());
        assertThat(paged.json().path("totalItems").asLong()).isEqualTo(3);
        assertThat(paged.json().path("items").size()).isOne();
    }

    @Test
    void badInputIsA400ProblemDetail() {
        for (String query : List.of("", "q=", "q=%20%20", "q=" + "x".repeat(501), "q=a&leadTag=Lukewarm",
                "q=a&from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z", "q=a&agentId=nope", "q=a&from=yesterday",
                "q=a&size=0")) {
            Http.Response refused = http.get("/api/transcripts/search?" + query, user.auth());
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        // operators alone, or unbalanced quotes, are no error: websearch syntax never fails
        for (String odd : List.of("\"", "-", "OR", "((", "'", "\\", ":*", "!&|")) {
            assertThat(search(user, odd).status()).as(odd).isEqualTo(200);
        }
        assertThat(http.get("/api/transcripts/search?q=x").status()).isEqualTo(401);
    }

    private Http.Response search(SignedIn caller, String query) {
        return search(caller, query, false);
    }

    /** {@code raw}: the query string after {@code q=} already carries further parameters. */
    private Http.Response search(SignedIn caller, String query, boolean raw) {
        String q = raw ? enc(query.substring(0, query.indexOf('&'))) + query.substring(query.indexOf('&')) : enc(query);
        Http.Response response = http.get("/api/transcripts/search?q=" + q, caller.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static List<String> ids(Http.Response response) {
        return response.json().path("items").findValuesAsString("callId");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private UUID agent(UUID userId) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Bot')", id, userId,
                "bolna-" + id);
        return id;
    }

    private UUID call(UUID userId, UUID agentId, String transcript, Instant createdAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status, created_at)
                VALUES (?, ?, ?, ?, '+14155550123', 'completed', ?)""", id, userId, agentId, "exec-" + id,
                java.sql.Timestamp.from(createdAt));
        jdbc.update("INSERT INTO transcripts (call_id, user_id, content) VALUES (?, ?, ?)", id, userId, transcript);
        return id;
    }
}
