package ai.calling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;

/** Registration, sign-in, rotation with reuse detection and sign-out, over HTTP. */
@IntegrationTest
class AuthFlowTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void theWholeSessionLifecycle() {
        String email = "  Flow-" + UUID.randomUUID() + "@Example.TEST ";
        Http.Response registered = http.post("/api/auth/register",
                Map.of("email", email, "password", TestUsers.PASSWORD, "name", "  Asha  "));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().path("tokenType").asString()).isEqualTo("Bearer");
        assertThat(registered.json().path("expiresIn").asLong()).isEqualTo(900);
        assertThat(registered.json().path("user").path("email").asString()).isEqualTo(email.trim().toLowerCase());
        assertThat(registered.json().path("user").path("credits").asInt()).isEqualTo(15);

        Http.Response login = http.post("/api/auth/login", Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        String access = login.json().path("accessToken").asString();
        String refresh = login.json().path("refreshToken").asString();

        Http.Response me = http.get("/api/auth/me", Http.bearer(access));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("role").asString()).isEqualTo("user");
        assertThat(me.json().path("credits").asInt()).isEqualTo(15);
        assertThat(me.json().path("authProvider").asString()).isEqualTo("email");
        assertThat(me.json().path("emailVerified").asBoolean()).isFalse();

        Http.Response rotated = http.post("/api/auth/refresh", Map.of("refreshToken", refresh));
        assertThat(rotated.status()).isEqualTo(200);
        String rotatedAccess = rotated.json().path("accessToken").asString();
        assertThat(rotated.json().path("refreshToken").asString()).isNotEqualTo(refresh);
        assertThat(http.get("/api/auth/me", Http.bearer(rotatedAccess)).status()).isEqualTo(200);

        // the old refresh token presented again: reuse, the whole session dies
        Http.Response reused = http.post("/api/auth/refresh", Map.of("refreshToken", refresh));
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/api/auth/me", Http.bearer(rotatedAccess)).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", rotated.json().path("refreshToken").asString()))
                .status()).isEqualTo(401);

        Http.Response again = http.post("/api/auth/login", Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(again.status()).isEqualTo(200);
        String fresh = again.json().path("accessToken").asString();
        assertThat(http.get("/api/auth/me", Http.bearer(fresh)).status()).isEqualTo(200);

        assertThat(http.post("/api/auth/logout", "", Http.bearer(fresh)).status()).isEqualTo(204);
        Http.Response refused = http.get("/api/auth/me", Http.bearer(fresh));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void registrationGrantsTheBonusAsALedgerRowInTheSameTransaction() {
        TestUsers.SignedIn user = TestUsers.register(http);

        Map<String, Object> bonus = jdbc.queryForMap(
                "SELECT type, amount, balance_after FROM credit_transactions WHERE user_id = ?", user.id());
        assertThat(bonus).containsEntry("type", "bonus").containsEntry("amount", 15).containsEntry("balance_after", 15);
        assertThat(jdbc.queryForObject("SELECT credits FROM users WHERE id = ?", Integer.class, user.id())).isEqualTo(15);
    }

    @Test
    void aTakenEmailIsAConflictWhateverItsCase() {
        TestUsers.SignedIn user = TestUsers.register(http);

        Http.Response duplicate = http.post("/api/auth/register",
                Map.of("email", user.email().toUpperCase(), "password", TestUsers.PASSWORD, "name", "Again"));

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Long.class, user.email())).isOne();
    }

    @Test
    void badRegistrationsAnswer400WithFieldErrorsAndWriteNothing() {
        String email = "bad-" + UUID.randomUUID() + "@example.test";
        Map<String, Map<String, String>> cases = Map.of(
                "email", Map.of("email", "not-an-email", "password", TestUsers.PASSWORD, "name", "X"),
                "password", Map.of("email", email, "password", "short", "name", "X"),
                "name", Map.of("email", email, "password", TestUsers.PASSWORD, "name", " "));
        cases.forEach((field, body) -> {
            Http.Response response = http.post("/api/auth/register", body);
            assertThat(response.status()).as(field).isEqualTo(400);
            assertThat(response.json().path("errors").findValuesAsString("field")).as(field).contains(field);
        });
        // bcrypt hashes at most 72 bytes: 73 letters, or 40 accented ones (80 bytes), were a 500
        for (String weak : new String[] { "password123", "aaaaaaaaaaaa", "x".repeat(129), "Tr0ub4dor&3".repeat(7),
                "é1".repeat(27) }) {
            Http.Response response = http.post("/api/auth/register",
                    Map.of("email", email, "password", weak, "name", "X"));
            assertThat(response.status()).as(weak).isEqualTo(400);
            assertThat(response.json().path("errors").path(0).path("field").asString()).isEqualTo("password");
        }
        assertThat(http.post("/api/auth/register", "{not json").status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Long.class, email)).isZero();
    }

    @Test
    void protectedPathsNeedAValidToken() {
        assertThat(http.get("/api/auth/me").status()).isEqualTo(401);
        assertThat(http.get("/api/auth/me", Http.bearer("not.a.jwt")).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", "unknown")).status()).isEqualTo(401);
    }

    @Test
    void responsesCarryStandardSecurityHeaders() {
        Http.Response response = http.get("/api/auth/me");

        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
}
