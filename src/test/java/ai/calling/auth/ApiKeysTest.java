package ai.calling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.common.Hashes;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.JsonNode;

/** API keys over real HTTP: created once visible, stored hashed, acting as their owner with the role user. */
@IntegrationTest
class ApiKeysTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn owner;

    @BeforeEach
    void signUp() {
        http = new Http(port);
        owner = TestUsers.register(http);
    }

    @Test
    void aKeyIsShownOnceStoredHashedAndListedByItsPrefix() {
        Http.Response created = http.post("/api/api-keys", Map.of("name", "CRM sync"), owner.auth());

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String key = body.path("key").asString();
        assertThat(key).startsWith("ca_").hasSize(46);
        assertThat(body.path("prefix").asString()).isEqualTo(key.substring(0, 11));
        assertThat(body.path("name").asString()).isEqualTo("CRM sync");
        assertThat(body.path("id").asString()).isNotBlank();
        assertThat(body.path("createdAt").asString()).isNotBlank();
        // only the SHA-256 is stored
        assertThat(jdbc.queryForObject("SELECT key_hash FROM api_keys WHERE id = ?::uuid", String.class,
                body.path("id").asString())).isEqualTo(Hashes.sha256(key));

        JsonNode list = http.get("/api/api-keys", owner.auth()).json();
        assertThat(list.path("totalItems").asLong()).isEqualTo(1);
        JsonNode listed = list.path("items").get(0);
        assertThat(listed.path("prefix").asString()).isEqualTo(key.substring(0, 11));
        assertThat(listed.has("key")).isFalse();
        assertThat(listed.path("lastUsedAt").isNull()).isTrue();
        assertThat(http.get("/api/api-keys", owner.auth()).body()).doesNotContain(key);
    }

    @Test
    void aKeyWorksOnTheApiAsItsOwnerAndIsRefusedOnAuthKeysAndAdmin() {
        String key = createKey(owner);
        String contactId = http.post("/api/contacts", Map.of("phoneNumber", "+14155550101"), owner.auth())
                .json().path("id").asString();

        assertThat(http.get("/api/calls", Http.bearer(key)).status()).isEqualTo(200);
        Http.Response contact = http.get("/api/contacts/" + contactId, Http.bearer(key));
        assertThat(contact.status()).isEqualTo(200);
        assertThat(http.get("/api/api-keys", Http.bearer(key)).status()).isEqualTo(403);
        assertThat(http.post("/api/api-keys", Map.of("name", "minted by a key"), Http.bearer(key)).status())
                .isEqualTo(403);
        assertThat(http.get("/api/auth/me", Http.bearer(key)).status()).isEqualTo(403);
        Http.Response admin = http.get("/api/admin/users", Http.bearer(key));
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anAdminsKeyActsWithTheRoleUserOnly() {
        TestUsers.withRole(jdbc, owner, "super_admin");
        String key = createKey(owner);

        assertThat(http.get("/api/admin/users", owner.auth()).status()).isEqualTo(200);
        assertThat(http.get("/api/admin/users", Http.bearer(key)).status()).isEqualTo(403);
        assertThat(http.get("/api/admin/stats", Http.bearer(key)).status()).isEqualTo(403);
    }

    @Test
    void anotherTenantsResourcesAnswer404ToAKey() {
        SignedIn other = TestUsers.register(http);
        String othersContact = http.post("/api/contacts", Map.of("phoneNumber", "+14155550102"), other.auth())
                .json().path("id").asString();
        String othersKey = http.post("/api/api-keys", Map.of("name", "theirs"), other.auth()).json().path("id").asString();
        String key = createKey(owner);

        assertThat(http.get("/api/contacts/" + othersContact, Http.bearer(key)).status()).isEqualTo(404);
        assertThat(http.delete("/api/contacts/" + othersContact, Http.bearer(key)).status()).isEqualTo(404);
        // nor can a signed-in user revoke another tenant's key
        assertThat(http.delete("/api/api-keys/" + othersKey, owner.auth()).status()).isEqualTo(404);
        assertThat(http.get("/api/api-keys", other.auth()).json().path("totalItems").asLong()).isEqualTo(1);
    }

    @Test
    void aRevokedKeyGets401OnTheVeryNextRequest() {
        Http.Response created = http.post("/api/api-keys", Map.of("name", "to revoke"), owner.auth());
        String key = created.json().path("key").asString();
        assertThat(http.get("/api/calls", Http.bearer(key)).status()).isEqualTo(200);

        assertThat(http.delete("/api/api-keys/" + created.json().path("id").asString(), owner.auth()).status())
                .isEqualTo(204);

        Http.Response refused = http.get("/api/calls", Http.bearer(key));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/api/api-keys", owner.auth()).json().path("totalItems").asLong()).isZero();
        assertThat(http.delete("/api/api-keys/" + created.json().path("id").asString(), owner.auth()).status())
                .isEqualTo(404);
    }

    @Test
    void keysOfADeactivatedOwnerFailWith401() {
        String key = createKey(owner);
        assertThat(http.get("/api/calls", Http.bearer(key)).status()).isEqualTo(200);

        jdbc.update("UPDATE users SET is_active = false WHERE id = ?", owner.id());

        assertThat(http.get("/api/calls", Http.bearer(key)).status()).isEqualTo(401);
        jdbc.update("UPDATE users SET is_active = true WHERE id = ?", owner.id());
        assertThat(http.get("/api/calls", Http.bearer(key)).status()).isEqualTo(200);
    }

    @Test
    void aForgedOrAlteredKeyGets401() {
        String key = createKey(owner);
        String altered = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        assertThat(http.get("/api/calls", Http.bearer(altered)).status()).isEqualTo(401);
        assertThat(http.get("/api/calls", Http.bearer("ca_" + "x".repeat(43))).status()).isEqualTo(401);
        assertThat(http.get("/api/calls", Http.bearer("ca_short")).status()).isEqualTo(401);
    }

    @Test
    void lastUsedAtIsWrittenAtMostOnceAMinutePerKey() {
        Http.Response created = http.post("/api/api-keys", Map.of("name", "busy"), owner.auth());
        String key = created.json().path("key").asString();
        UUID id = UUID.fromString(created.json().path("id").asString());

        http.get("/api/calls", Http.bearer(key));
        Timestamp first = lastUsed(id);
        assertThat(first).isNotNull();
        http.get("/api/calls", Http.bearer(key));
        http.get("/api/calls", Http.bearer(key));
        assertThat(lastUsed(id)).as("no write within the minute").isEqualTo(first);

        Instant aMinuteAgo = Instant.now().minus(61, ChronoUnit.SECONDS);
        jdbc.update("UPDATE api_keys SET last_used_at = ? WHERE id = ?", Timestamp.from(aMinuteAgo), id);
        http.get("/api/calls", Http.bearer(key));
        assertThat(lastUsed(id).toInstant()).isAfter(aMinuteAgo.plusSeconds(30));
        assertThat(http.get("/api/api-keys", owner.auth()).json().path("items").get(0).path("lastUsedAt").asString())
                .isNotBlank();
    }

    @Test
    void badInputIs400AndWritesNothing() {
        assertThat(http.post("/api/api-keys", Map.of("name", " "), owner.auth()).status()).isEqualTo(400);
        assertThat(http.post("/api/api-keys", Map.of("name", "x".repeat(101)), owner.auth()).status()).isEqualTo(400);
        assertThat(http.post("/api/api-keys", "{}", owner.auth()).status()).isEqualTo(400);
        assertThat(http.delete("/api/api-keys/not-a-uuid", owner.auth()).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE user_id = ?", Long.class, owner.id()))
                .isZero();
        assertThat(http.get("/api/api-keys").status()).isEqualTo(401);
    }

    @Test
    void concurrentCreationsStopAtTheCapPerAccount() throws Exception {
        List<Callable<Integer>> creations = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int n = i;
            creations.add(() -> http.post("/api/api-keys", Map.of("name", "key " + n), owner.auth()).status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> status : pool.invokeAll(creations)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(25);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(5);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE user_id = ?", Long.class, owner.id()))
                .isEqualTo(25);
    }

    private Timestamp lastUsed(UUID id) {
        return jdbc.queryForObject("SELECT last_used_at FROM api_keys WHERE id = ?", Timestamp.class, id);
    }

    private String createKey(SignedIn user) {
        Http.Response created = http.post("/api/api-keys", Map.of("name", "key"), user.auth());
        assertThat(created.status()).isEqualTo(201);
        return created.json().path("key").asString();
    }
}
