package ai.calling.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
import tools.jackson.databind.JsonNode;

/**
 * Issue 20, point 3: enum-like filters answer 400 outside their values (as the other filters do),
 * CSV cells obey the API's length limits, and a call's {@code userData} is bounded.
 */
@IntegrationTest
class LooseValidationTest {

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
    void anEnumFilterOutsideItsValuesIs400NamingThem() {
        Map<String, SignedIn> unknown = Map.of(
                "/api/calls?status=exploded", user,
                "/api/calls?lifecycle=exploded", user,
                "/api/calls?leadType=exploded", user,
                "/api/calls?callSource=exploded", user,
                "/api/admin/webhooks/bolna?state=weird", admin,
                "/api/admin/calls?status=exploded", admin,
                "/api/admin/users?role=exploded", admin,
                "/api/admin/users/" + user.id() + "/transactions?type=exploded", admin);
        unknown.forEach((path, caller) -> {
            Http.Response answer = http.get(path, caller.auth());
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().path("errors").get(0).path("message").asString()).as(path).startsWith("must be one of");
        });
        for (String known : List.of("/api/calls?status=completed&lifecycle=answered&leadType=inbound&callSource=phone",
                "/api/admin/webhooks/bolna?state=failed", "/api/admin/calls?status=in_progress",
                "/api/admin/users?role=super_admin", "/api/admin/users/" + user.id() + "/transactions?type=bonus")) {
            assertThat(http.get(known, known.startsWith("/api/admin") ? admin.auth() : user.auth()).status())
                    .as(known).isEqualTo(200);
        }
    }

    @Test
    void aCsvCellObeysTheSameLengthLimitsAsTheApi() {
        String csv = "phone,name,email,company,notes\n"
                + "+14155550180,Good,,,fine\n"
                + "+14155550181,Long notes,,,\"" + "n".repeat(19 * 1024 * 1024) + "\"\n"
                + "+14155550182,Notes one over,,," + "n".repeat(5001) + "\n"
                + "+14155550183," + "N".repeat(256) + ",,,\n"
                + "+14155550184,,,," + "c".repeat(10) + "\n"
                + "+1415555018" + "5".repeat(50) + ",Long phone,,,\n"
                + "+14155550186,Nul\u0000name,,,\n";

        Http.Response answer = http.upload("/api/contacts/upload", "file", "c.csv", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8), user.auth());

        assertThat(answer.status()).isEqualTo(200);
        JsonNode result = answer.json();
        assertThat(result.path("created").asInt()).isEqualTo(2);
        assertThat(result.path("invalid").findValuesAsString("reason")).containsExactly(
                "notes is longer than 5000 characters", "notes is longer than 5000 characters",
                "name is longer than 255 characters", "phone is longer than 50 characters",
                "a cell contains the NUL character");
        assertThat(jdbc.queryForList("SELECT phone_number FROM contacts WHERE user_id = ? ORDER BY phone_number",
                String.class, user.id())).containsExactly("+14155550180", "+14155550184");
    }

    @Test
    void aCallsUserDataIsBoundedBeforeAnythingIsDialled() {
        UUID agent = jdbc.queryForObject("INSERT INTO agents (user_id, bolna_agent_id, name) VALUES (?, ?, 'Bot') RETURNING id",
                UUID.class, user.id(), "bolna-" + UUID.randomUUID());

        Http.Response tooLarge = http.post("/api/calls", Map.of("agentId", agent.toString(), "phoneNumber", "+14155550187",
                "userData", Map.of("notes", "u".repeat(20_000))), user.auth());
        Http.Response tooDeep = http.post("/api/calls", Map.of("agentId", agent.toString(), "phoneNumber", "+14155550187",
                "userData", Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", Map.of("f", Map.of("g",
                        Map.of("h", Map.of("i", "deep")))))))))), user.auth());

        for (Http.Response answer : List.of(tooLarge, tooDeep)) {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("errors").get(0).path("field").asString()).isEqualTo("userData");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE user_id = ?", Long.class, user.id())).isZero();
    }
}
