package ai.calling.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.RawHttp;
import ai.calling.support.RawHttp.Answer;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Issue 20, point 2: the inputs that answered 500 or Tomcat's HTML now answer a 4xx problem
 * detail, and nothing is written. (OpenApiFuzzTest sends such inputs to every operation.)
 */
@IntegrationTest
class ProblemDetailsEverywhereTest {

    static final String NUL = "a\u0000b";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn user;
    SignedIn admin;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        admin = TestUsers.withRole(jdbc, TestUsers.register(http), "admin");
    }

    @Test
    void aNulCharacterInAnyTextFieldIs400NamingTheFieldAndNothingIsWritten() {
        UUID contact = UUID.fromString(http.post("/api/contacts", Map.of("phoneNumber", "+14155550140"), user.auth())
                .json().path("id").asString());
        long ledgerRows = ledgerRows(user.id());
        List<Http.Response> answers = List.of(
                http.post("/api/contacts", Map.of("phoneNumber", "+14155550141", "name", NUL), user.auth()),
                http.patch("/api/contacts/" + contact, Map.of("notes", NUL), user.auth()),
                http.post("/api/follow-ups", Map.of("leadPhone", "+14155550141", "followUpDate", "2099-01-01",
                        "remark", NUL), user.auth()),
                http.post("/api/customers", Map.of("contactId", contact.toString(), "notes", NUL), user.auth()),
                http.post("/api/calls", Map.of("agentId", UUID.randomUUID().toString(), "phoneNumber", "+14155550141",
                        "name", NUL), user.auth()),
                http.post("/api/agents", Map.of("name", "Bot", "welcomeMessage", "Hi", "systemPrompt", "Help",
                        "voiceConfig", Map.of("voice" + NUL, "x")), user.auth()),
                http.post("/api/admin/phone-numbers", Map.of("name", NUL, "phoneNumber", "+14155550142"), admin.auth()),
                http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", 5, "reason", NUL), admin.auth()),
                http.put("/api/admin/config/max_contacts_per_upload", Map.of("value", "1" + NUL), admin.auth()));

        for (Http.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().path("errors").get(0).path("message").asString()).contains("NUL");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, user.id())).isOne();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM follow_ups WHERE user_id = ?", Long.class, user.id())).isZero();
        assertThat(ledgerRows(user.id())).isEqualTo(ledgerRows);
    }

    private long ledgerRows(UUID userId) {
        return jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ?", Long.class, userId);
    }

    @Test
    void aNulCharacterInTheQueryStringIs400() {
        Http.Response answer = http.get("/api/contacts?search=a%00b", user.auth());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aPageWhoseOffsetOverflowsIs400() {
        for (String path : List.of("/api/contacts", "/api/calls", "/api/credits/transactions", "/api/notifications")) {
            Http.Response answer = http.get(path + "?page=2147483647&size=100", user.auth());
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.json().path("errors").get(0).path("field").asString()).isEqualTo("page");
        }
        assertThat(http.get("/api/admin/users?page=2147483647&size=100", admin.auth()).status()).isEqualTo(400);
    }

    @Test
    void aValidlySignedTokenMissingAClaimIs401() {
        var key = Keys.hmacShaKeyFor(IntegrationTest.JWT_SECRET.getBytes(StandardCharsets.UTF_8));
        Date expires = Date.from(Instant.now().plusSeconds(300));
        String noSession = Jwts.builder().subject(user.id().toString()).expiration(expires).signWith(key).compact();
        String noSubject = Jwts.builder().claim("sid", UUID.randomUUID().toString()).expiration(expires).signWith(key)
                .compact();

        for (String token : List.of(noSession, noSubject)) {
            Http.Response answer = http.get("/api/auth/me", Http.bearer(token));
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void datesBeyondTheYear9999Are400InQueriesAndBodies() {
        Http.Response query = http.get("/api/follow-ups?from=%2B999999999-12-31", user.auth());
        Http.Response instant = http.get("/api/calls?from=%2B1000000000-12-31T23:59:59Z", user.auth());
        Http.Response body = http.post("/api/follow-ups", Map.of("leadPhone", "+14155550143",
                "followUpDate", "+999999999-12-31"), user.auth());

        for (Http.Response answer : List.of(query, instant, body)) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
        assertThat(body.json().path("errors").get(0).path("field").asString()).isEqualTo("followUpDate");
    }

    @Test
    void whatTomcatRefusesOnItsOwnIsAProblemDetailToo() throws Exception {
        RawHttp raw = new RawHttp(port);
        for (String path : List.of("/api/contacts/%00", "/api/..%2fadmin/users", "/api/contacts/%2e%2e%2f%2e%2e")) {
            Answer answer = raw.send("GET " + path + " HTTP/1.1\r\nHost: localhost");
            assertThat(answer.status()).as(path).isBetween(400, 499);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
            assertThat(answer.body()).doesNotContain("<html").doesNotContain("Tomcat");
        }
    }

    @Test
    void theErrorPathAskedForDirectlyIsA404ProblemDetail() {
        for (String method : List.of("GET", "POST", "DELETE")) {
            Http.Response answer = http.send(method, "/error", null, null);
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
    }
}
