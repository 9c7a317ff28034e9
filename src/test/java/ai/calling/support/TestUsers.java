package ai.calling.support;

import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

/** Signs users up through the real API, as a client would. */
public final class TestUsers {

    public static final String PASSWORD = "Correct-Horse-42";

    private TestUsers() {
    }

    public static SignedIn register(Http http) {
        String email = "user-" + UUID.randomUUID() + "@example.test";
        Http.Response response = http.post("/api/auth/register",
                Map.of("email", email, "password", PASSWORD, "name", "Test User"));
        if (response.status() != 201) {
            throw new IllegalStateException("registration failed: " + response.status() + " " + response.body());
        }
        return SignedIn.from(email, response.json());
    }

    /** Gives a signed-up user a platform role (user, admin, super_admin) directly in the database. */
    public static SignedIn withRole(JdbcTemplate jdbc, SignedIn user, String role) {
        jdbc.update("UPDATE users SET role = ? WHERE id = ?", role, user.id());
        return user;
    }

    public static SignedIn login(Http http, String email) {
        Http.Response response = http.post("/api/auth/login", Map.of("email", email, "password", PASSWORD));
        if (response.status() != 200) {
            throw new IllegalStateException("login failed: " + response.status() + " " + response.body());
        }
        return SignedIn.from(email, response.json());
    }

    public record SignedIn(UUID id, String email, String accessToken, String refreshToken) {

        static SignedIn from(String email, JsonNode body) {
            return new SignedIn(UUID.fromString(body.path("user").path("id").asString()), email,
                    body.path("accessToken").asString(), body.path("refreshToken").asString());
        }

        public String[] auth() {
            return Http.bearer(accessToken);
        }
    }
}
