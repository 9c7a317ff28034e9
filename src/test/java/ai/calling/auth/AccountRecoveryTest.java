package ai.calling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.common.mail.OutgoingMail;
import ai.calling.config.SystemSettings;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** Password reset and e-mail verification by mailed single-use tokens. */
@IntegrationTest
class AccountRecoveryTest {

    static final Pattern TOKEN = Pattern.compile("token within [^:]*:\\n\\n(\\S+)");

    @LocalServerPort
    int port;

    @Autowired
    LoggingMailer mailer;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SystemSettings settings;

    Http http;
    String[] client;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        client = new String[] { "X-Forwarded-For", "10." + ThreadLocalRandom.current().nextInt(256) + "."
                + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(1, 255) };
    }

    @Test
    void resetWithTheMailedTokenChangesThePasswordAndEndsEverySession() {
        SignedIn user = TestUsers.register(http);

        assertThat(http.post("/api/auth/forgot-password", Map.of("email", user.email().toUpperCase()), client).status())
                .isEqualTo(202);
        String token = tokenMailedTo(user.email(), "Reset your password");

        assertThat(http.post("/api/auth/reset-password", Map.of("token", token, "newPassword", "Brand-New-Secret-7"))
                .status()).isEqualTo(204);

        assertThat(http.get("/api/auth/me", user.auth()).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", user.refreshToken())).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/login", Map.of("email", user.email(), "password", TestUsers.PASSWORD)).status())
                .isEqualTo(401);
        assertThat(http.post("/api/auth/login", Map.of("email", user.email(), "password", "Brand-New-Secret-7")).status())
                .isEqualTo(200);
        Http.Response reused = http.post("/api/auth/reset-password", Map.of("token", token, "newPassword", "Another-Secret-8"));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.json().path("errors").path(0).path("field").asString()).isEqualTo("token");
    }

    /**
     * The reset's mail proves the address. An account whose address was never confirmed may have been registered
     * by somebody else with it: its reset confirms the address and revokes the API keys made until then, with the
     * sessions. A confirmed account's reset keeps its keys.
     */
    @Test
    void aResetOfAnAccountWhoseAddressWasNeverConfirmedConfirmsItAndRevokesItsKeys() {
        SignedIn squatted = TestUsers.register(http);
        SignedIn confirmed = TestUsers.register(http);
        jdbc.update("UPDATE users SET email_verified = true WHERE id = ?", confirmed.id());
        String squattersKey = http.post("/api/api-keys", Map.of("name", "squatter's"), squatted.auth()).json()
                .path("key").asString();
        String ownersKey = http.post("/api/api-keys", Map.of("name", "owner's"), confirmed.auth()).json()
                .path("key").asString();
        assertThat(http.get("/api/calls", Http.bearer(squattersKey)).status()).isEqualTo(200);

        for (SignedIn user : List.of(squatted, confirmed)) {
            http.post("/api/auth/forgot-password", Map.of("email", user.email()), client);
            assertThat(http.post("/api/auth/reset-password", Map.of("token", tokenMailedTo(user.email(),
                    "Reset your password"), "newPassword", "Brand-New-Secret-7")).status()).isEqualTo(204);
        }

        assertThat(http.get("/api/calls", Http.bearer(squattersKey)).status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT email_verified FROM users WHERE id = ?", Boolean.class, squatted.id()))
                .isTrue();
        assertThat(http.get("/api/calls", Http.bearer(ownersKey)).status()).isEqualTo(200);
    }

    /**
     * The reset that proves a never-confirmed address also turns off what the registrant set up to receive or grant
     * the account's data: its webhook endpoints are disabled (with the reason, for the owner to enable again) and
     * its pending invitations revoked. A reset of a confirmed account leaves both as they are.
     */
    @Test
    void aResetThatReclaimsAnAddressDisablesItsEndpointsAndRevokesItsInvitations() {
        SignedIn squatted = TestUsers.register(http);
        SignedIn confirmed = TestUsers.register(http);
        jdbc.update("UPDATE users SET email_verified = true WHERE id = ?", confirmed.id());
        Map<SignedIn, String> endpoints = new HashMap<>();
        for (SignedIn user : List.of(squatted, confirmed)) {
            Http.Response endpoint = http.post("/api/webhook-endpoints", Map.of("url", "http://127.0.0.1:9/hook",
                    "events", List.of("call.completed")), user.auth());
            assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
            endpoints.put(user, endpoint.json().path("id").asString());
            Http.Response invited = http.post("/api/team/invitations", Map.of("email",
                    "invitee-" + UUID.randomUUID() + "@example.com", "teamRole", "member"), user.auth());
            assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        }

        // one disabled already, by its failures: enabling it would send it what waited meanwhile
        String failing = http.post("/api/webhook-endpoints", Map.of("url", "http://127.0.0.1:9/failing", "events",
                List.of("call.completed")), squatted.auth()).json().path("id").asString();
        jdbc.update("UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'Failed for 72 hours' "
                + "WHERE id = ?::uuid", failing);

        for (SignedIn user : List.of(squatted, confirmed)) {
            http.post("/api/auth/forgot-password", Map.of("email", user.email()), client);
            assertThat(http.post("/api/auth/reset-password", Map.of("token", tokenMailedTo(user.email(),
                    "Reset your password"), "newPassword", "Brand-New-Secret-7")).status()).isEqualTo(204);
        }

        for (String endpoint : List.of(endpoints.get(squatted), failing)) {
            assertThat(jdbc.queryForMap("SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = ?::uuid",
                    endpoint)).containsEntry("enabled", false).hasEntrySatisfying("disabled_reason",
                            reason -> assertThat((String) reason).contains("password reset"));
        }
        assertThat(jdbc.queryForList("SELECT status FROM team_invitations WHERE workspace_id = ?", String.class,
                squatted.id())).containsExactly("revoked");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM team_audit_log WHERE workspace_id = ? "
                + "AND action = 'team.invitation.revoked'", Long.class, squatted.id())).isOne();
        assertThat(jdbc.queryForObject("SELECT enabled FROM webhook_endpoints WHERE id = ?::uuid", Boolean.class,
                endpoints.get(confirmed))).isTrue();
        assertThat(jdbc.queryForList("SELECT status FROM team_invitations WHERE workspace_id = ?", String.class,
                confirmed.id())).containsExactly("pending");
    }

    @Test
    void anUnknownEmailGetsTheSameAnswerAndNoMail() {
        String unknown = "ghost-" + UUID.randomUUID() + "@example.test";
        int before = mailer.recent().size();

        Http.Response response = http.post("/api/auth/forgot-password", Map.of("email", unknown), client);

        assertThat(response.status()).isEqualTo(202);
        assertThat(mailer.recent().subList(Math.min(before, mailer.recent().size()), mailer.recent().size()))
                .noneMatch(mail -> mail.to().equals(unknown));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM password_reset_attempts WHERE email = ? AND NOT success",
                Long.class, unknown)).isOne();
    }

    @Test
    void aWeakNewPasswordIsRefusedAndTheTokenStaysUsable() {
        SignedIn user = TestUsers.register(http);
        http.post("/api/auth/forgot-password", Map.of("email", user.email()), client);
        String token = tokenMailedTo(user.email(), "Reset your password");

        Http.Response weak = http.post("/api/auth/reset-password", Map.of("token", token, "newPassword", "password123"));

        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("errors").path(0).path("field").asString()).isEqualTo("newPassword");
        assertThat(http.get("/api/auth/me", user.auth()).status()).isEqualTo(200);
        assertThat(http.post("/api/auth/reset-password", Map.of("token", token, "newPassword", "Strong-Enough-9")).status())
                .isEqualTo(204);
    }

    @Test
    void anExpiredTokenIsRefused() {
        SignedIn user = TestUsers.register(http);
        http.post("/api/auth/forgot-password", Map.of("email", user.email()), client);
        String token = tokenMailedTo(user.email(), "Reset your password");
        jdbc.update("UPDATE auth_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = ? "
                + "AND purpose = 'password_reset'", user.id());

        assertThat(http.post("/api/auth/reset-password", Map.of("token", token, "newPassword", "Strong-Enough-9")).status())
                .isEqualTo(400);
        assertThat(http.get("/api/auth/me", user.auth()).status()).isEqualTo(200);
    }

    @Test
    void theFourthRequestInAnHourIssuesNoTokenPerEmailAndPerAddress() {
        SignedIn user = TestUsers.register(http);
        for (int i = 0; i < 3; i++) {
            http.post("/api/auth/forgot-password", Map.of("email", user.email()), client);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mailsTo(user.email(), "Reset your password").size() == 3);

        assertThat(http.post("/api/auth/forgot-password", Map.of("email", user.email()),
                "X-Forwarded-For", "192.0.2." + ThreadLocalRandom.current().nextInt(1, 255)).status()).isEqualTo(202);
        // the tokens, not the mails (sent on threads of their own): a fourth would be written before the answer
        assertThat(resetTokens(user)).isEqualTo(3);

        SignedIn other = TestUsers.register(http);
        assertThat(http.post("/api/auth/forgot-password", Map.of("email", other.email()), client).status()).isEqualTo(202);
        assertThat(resetTokens(other)).isZero();
        assertThat(mailsTo(user.email(), "Reset your password")).hasSize(3);
    }

    @Test
    void theVerificationMailMarksTheEmailVerifiedOnce() {
        SignedIn user = TestUsers.register(http);
        String token = tokenMailedTo(user.email(), "Verify your e-mail address");

        assertThat(http.post("/api/auth/verify-email", Map.of("token", token)).status()).isEqualTo(204);

        assertThat(http.get("/api/auth/me", user.auth()).json().path("emailVerified").asBoolean()).isTrue();
        assertThat(http.post("/api/auth/verify-email", Map.of("token", token)).status()).isEqualTo(400);
        assertThat(http.post("/api/auth/verify-email", Map.of("token", "made-up")).status()).isEqualTo(400);
    }

    @Test
    void whenVerificationIsRequiredAnUnverifiedUserCannotSignIn() {
        SignedIn unverified = TestUsers.register(http);
        SignedIn verified = TestUsers.register(http);
        http.post("/api/auth/verify-email", Map.of("token", tokenMailedTo(verified.email(), "Verify your e-mail address")));
        jdbc.update("UPDATE system_config SET config_value = 'true' WHERE config_key = ?",
                SystemSettings.REQUIRE_EMAIL_VERIFICATION);
        settings.evict(SystemSettings.REQUIRE_EMAIL_VERIFICATION);
        try {
            Http.Response refused = http.post("/api/auth/login",
                    Map.of("email", unverified.email(), "password", TestUsers.PASSWORD));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("detail").asString()).contains("Verify your e-mail");
            assertThat(http.post("/api/auth/login", Map.of("email", verified.email(), "password", TestUsers.PASSWORD))
                    .status()).isEqualTo(200);
        } finally {
            jdbc.update("UPDATE system_config SET config_value = 'false' WHERE config_key = ?",
                    SystemSettings.REQUIRE_EMAIL_VERIFICATION);
            settings.evict(SystemSettings.REQUIRE_EMAIL_VERIFICATION);
        }
    }

    private List<OutgoingMail> mailsTo(String email, String subject) {
        return mailer.recent().stream().filter(m -> m.to().equals(email) && m.subject().equals(subject)).toList();
    }

    @Test
    void mailedLinksOpenTheWebAppWithTheTokenNeverABackendPage() {
        TestUsers.SignedIn user = TestUsers.register(http);
        String verification = tokenMailedTo(user.email(), "Verify your e-mail address");
        assertThat(mailsTo(user.email(), "Verify your e-mail address").getLast().text())
                .contains("http://localhost:3000/verify-email?token=" + verification).doesNotContain(":8080");

        http.post("/api/auth/forgot-password", Map.of("email", user.email()), client);
        String reset = tokenMailedTo(user.email(), "Reset your password");
        assertThat(mailsTo(user.email(), "Reset your password").getLast().text())
                .contains("http://localhost:3000/reset-password?token=" + reset).doesNotContain(":8080");
        // the token of the link is what the API takes
        assertThat(http.post("/api/auth/verify-email", Map.of("token", verification)).status()).isEqualTo(204);
        assertThat(http.post("/api/auth/reset-password", Map.of("token", reset, "newPassword", "Brand-New-Secret-7"))
                .status()).isEqualTo(204);
    }

    private long resetTokens(SignedIn user) {
        return jdbc.queryForObject("SELECT count(*) FROM auth_tokens WHERE user_id = ? AND purpose = 'password_reset'",
                Long.class, user.id());
    }

    /** The token of the newest such mail, waiting for it (a reset's mail is sent on a thread of its own). */
    private String tokenMailedTo(String email, String subject) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !mailsTo(email, subject).isEmpty());
        List<OutgoingMail> mails = mailsTo(email, subject);
        assertThat(mails).as("a mail '" + subject + "' to " + email).isNotEmpty();
        Matcher matcher = TOKEN.matcher(mails.getLast().text());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
