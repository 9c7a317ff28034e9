package ai.calling.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;

/** Sign-in with GitHub against a fake provider (WireMock token, profile and e-mail endpoints). */
@IntegrationTest
class SocialSignInTest {

    static final WireMockServer GITHUB = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        GITHUB.start();
    }

    @DynamicPropertySource
    static void github(DynamicPropertyRegistry registry) {
        String base = GITHUB.baseUrl();
        registry.add("spring.security.oauth2.client.registration.github.client-id", () -> "test-client");
        registry.add("spring.security.oauth2.client.registration.github.client-secret", () -> "test-secret");
        registry.add("spring.security.oauth2.client.provider.github.authorization-uri", () -> base + "/login/oauth/authorize");
        registry.add("spring.security.oauth2.client.provider.github.token-uri", () -> base + "/login/oauth/access_token");
        registry.add("spring.security.oauth2.client.provider.github.user-info-uri", () -> base + "/user");
        registry.add("spring.security.oauth2.client.provider.github.user-name-attribute", () -> "id");
        registry.add("app.security.github-emails-uri", () -> base + "/user/emails");
        registry.add("app.security.oauth2-success-redirect", () -> "http://frontend.test/auth/callback");
    }

    @AfterAll
    static void stop() {
        GITHUB.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNewVerifiedGithubUserGetsAnAccountTheBonusAndWorkingTokens() throws Exception {
        String email = "gh-" + UUID.randomUUID() + "@example.test";
        fakeGithub(email, true);

        Map<String, String> result = signInWithGithub();

        assertThat(result).containsKey("accessToken").doesNotContainKey("error");
        Http.Response me = new Http(port).get("/api/auth/me", Http.bearer(result.get("accessToken")));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("email").asString()).isEqualTo(email);
        assertThat(me.json().path("authProvider").asString()).isEqualTo("github");
        assertThat(me.json().path("emailVerified").asBoolean()).isTrue();
        assertThat(me.json().path("credits").asInt()).isEqualTo(15);
    }

    @Test
    void anExistingAccountWithTheSameVerifiedEmailIsLinked() throws Exception {
        TestUsers.SignedIn existing = TestUsers.register(new Http(port));
        jdbc.update("UPDATE users SET email_verified = true WHERE id = ?", existing.id());
        fakeGithub(existing.email(), true);

        Map<String, String> result = signInWithGithub();

        Http.Response me = new Http(port).get("/api/auth/me", Http.bearer(result.get("accessToken")));
        assertThat(me.json().path("id").asString()).isEqualTo(existing.id().toString());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Long.class, existing.email())).isOne();
    }

    /**
     * Anyone can register with somebody else's address while verification is not required. The address's owner
     * signing in with GitHub is not signed into that account (its registrant kept the password, the sessions, the
     * keys): refused until a password reset has confirmed the address.
     */
    @Test
    void anExistingAccountWhoseAddressWasNeverConfirmedIsNotLinked() throws Exception {
        Http http = new Http(port);
        TestUsers.SignedIn squatted = TestUsers.register(http);
        fakeGithub(squatted.email(), true);

        Map<String, String> result = signInWithGithub();

        assertThat(result).doesNotContainKey("accessToken");
        assertThat(result.get("error")).contains("never confirmed");
        assertThat(jdbc.queryForObject("SELECT email_verified FROM users WHERE id = ?", Boolean.class, squatted.id()))
                .isFalse();
        assertThat(http.get("/api/auth/me", squatted.auth()).status()).isEqualTo(200);
    }

    @Test
    void anUnverifiedEmailOrAnInactiveAccountIsRefused() throws Exception {
        String email = "gh-unverified-" + UUID.randomUUID() + "@example.test";
        fakeGithub(email, false);
        assertThat(signInWithGithub()).containsKey("error").doesNotContainKey("accessToken");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Long.class, email)).isZero();

        TestUsers.SignedIn inactive = TestUsers.register(new Http(port));
        jdbc.update("UPDATE users SET is_active = false WHERE id = ?", inactive.id());
        fakeGithub(inactive.email(), true);
        assertThat(signInWithGithub()).containsKey("error").doesNotContainKey("accessToken");
    }

    @Test
    void anUnconfiguredProviderIsAbsent() throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/oauth2/authorization/linkedin")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isGreaterThanOrEqualTo(400).isLessThan(500);
    }

    private void fakeGithub(String email, boolean verified) {
        GITHUB.resetAll();
        GITHUB.stubFor(post(urlPathEqualTo("/login/oauth/access_token")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"gho_test\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\"}")));
        GITHUB.stubFor(get(urlPathEqualTo("/user")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 4242, \"login\": \"octo\", \"name\": \"Octo Cat\", \"email\": null}")));
        GITHUB.stubFor(get(urlPathEqualTo("/user/emails")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"email\":\"" + email + "\",\"primary\":true,\"verified\":" + verified + "}]")));
    }

    /** Drives the browser's part: start, (the provider approves), callback; returns the fragment's values. */
    private Map<String, String> signInWithGithub() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> start = browser.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/oauth2/authorization/github")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(302);
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(GITHUB.baseUrl() + "/login/oauth/authorize");
        String state = query(authorize.getRawQuery()).get("state");

        HttpResponse<String> callback = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/login/oauth2/code/github?code=abc&state=" + state)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(callback.statusCode()).isEqualTo(302);
        String location = callback.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("http://frontend.test/auth/callback#");
        return query(location.substring(location.indexOf('#') + 1));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
