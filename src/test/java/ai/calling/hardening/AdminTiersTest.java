package ai.calling.hardening;

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
import ai.calling.support.TestUsers.SignedIn;

/**
 * Issue 20, point 4: an admin may not act on a super_admin (403), and no admin, not even a
 * super_admin, may change its own credits, role or active flag. Nothing is changed or audited.
 */
@IntegrationTest
class AdminTiersTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn admin;
    SignedIn root;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        admin = TestUsers.withRole(jdbc, TestUsers.register(http), "admin");
        root = TestUsers.withRole(jdbc, TestUsers.register(http), "super_admin");
        user = TestUsers.register(http);
    }

    @Test
    void anAdminCannotActOnASuperAdmin() {
        String target = "/api/admin/users/" + root.id();
        long ledger = ledgerRows(root.id());

        assertForbidden(http.post(target + "/sessions/revoke", Map.of(), admin.auth()));
        assertForbidden(http.post(target + "/credits", Map.of("amount", 100_000, "reason", "mine now"), admin.auth()));
        assertForbidden(http.patch(target + "/status", Map.of("active", false), admin.auth()));
        assertForbidden(http.patch(target, Map.of("active", false), admin.auth()));
        assertForbidden(http.patch(target, Map.of("completePromptId", ""), admin.auth()));
        assertForbidden(http.patch(target, Map.of("maxConcurrentCalls", 0), admin.auth()));
        assertForbidden(http.put("/api/openai-prompts/admin/users/" + root.id() + "/prompts", Map.of(), admin.auth()));

        assertThat(http.get("/api/auth/me", root.auth()).status()).isEqualTo(200);
        assertThat(ledgerRows(root.id())).isEqualTo(ledger);
        assertThat(auditRows(root.id())).isZero();
        // reading is not acting
        assertThat(http.get(target, admin.auth()).status()).isEqualTo(200);
    }

    @Test
    void noAdminChangesItsOwnCreditsRoleOrActiveFlag() {
        for (SignedIn self : new SignedIn[] { admin, root }) {
            String own = "/api/admin/users/" + self.id();
            long ledger = ledgerRows(self.id());

            assertForbidden(http.post(own + "/credits", Map.of("amount", 100_000, "reason", "a raise"), self.auth()));
            assertForbidden(http.patch(own + "/status", Map.of("active", true), self.auth()));
            assertForbidden(http.patch(own, Map.of("active", true), self.auth()));
            assertForbidden(http.put(own + "/role", Map.of("role", "super_admin"), self.auth()));
            assertForbidden(http.patch(own, Map.of("role", "user"), self.auth()));

            assertThat(ledgerRows(self.id())).isEqualTo(ledger);
            assertThat(auditRows(self.id())).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT role FROM users WHERE id = ?", String.class, root.id())).isEqualTo("super_admin");
    }

    @Test
    void anAdminStillManagesPlainUsersAndASuperAdminManagesAdmins() {
        assertThat(http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", 5, "reason", "goodwill"),
                admin.auth()).status()).isEqualTo(201);
        assertThat(http.post("/api/admin/users/" + user.id() + "/sessions/revoke", Map.of(), admin.auth()).status())
                .isEqualTo(200);
        assertThat(http.post("/api/admin/users/" + admin.id() + "/credits", Map.of("amount", 5, "reason", "goodwill"),
                root.auth()).status()).isEqualTo(201);
        assertThat(http.patch("/api/admin/users/" + admin.id() + "/status", Map.of("active", false), root.auth()).status())
                .isEqualTo(200);
    }

    private void assertForbidden(Http.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    private long ledgerRows(UUID userId) {
        return jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ?", Long.class, userId);
    }

    private long auditRows(UUID target) {
        return jdbc.queryForObject("SELECT count(*) FROM admin_audit_log WHERE target_user_id = ?", Long.class, target);
    }
}
