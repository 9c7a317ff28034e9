package ai.calling.call;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** GET /api/calls/{id}/recording: streamed through this server from an allowed provider host, with Range. */
@IntegrationTest
class CallRecordingTest {

    static final WireMockServer STORAGE = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final WireMockServer ELSEWHERE = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        STORAGE.start();
        ELSEWHERE.start();
    }

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.recording-hosts", () -> "recordings.invalid, localhost:" + STORAGE.port());
        registry.add("app.bolna.read-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        STORAGE.stop();
        ELSEWHERE.stop();
    }

    /** 1,000 bytes whose every position is recognisable: byte i is the digit i % 10. */
    static final byte[] AUDIO = audio(1000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        STORAGE.resetAll();
        ELSEWHERE.resetAll();
    }

    @Test
    void aRangeOfTheRecordingIsServedAs206WithExactlyThoseBytes() {
        // a storage that ignores Range: the range is cut out here
        STORAGE.stubFor(get(urlPathEqualTo("/rec/a.mp3")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "audio/mpeg").withHeader("Content-Length", "1000").withBody(AUDIO)));
        UUID call = call(user.id(), STORAGE.baseUrl() + "/rec/a.mp3?X-Amz-Signature=abc");

        Http.Response part = http.get("/api/calls/" + call + "/recording", auth("Range", "bytes=100-199"));

        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body().getBytes(StandardCharsets.US_ASCII)).hasSize(100)
                .isEqualTo(java.util.Arrays.copyOfRange(AUDIO, 100, 200));
        assertThat(part.header("Content-Range")).isEqualTo("bytes 100-199/1000");
        assertThat(part.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(part.header("Content-Length")).isEqualTo("100");
        assertThat(part.contentType()).isEqualTo("audio/mpeg");
        STORAGE.verify(getRequestedFor(urlPathEqualTo("/rec/a.mp3")).withHeader("Range", equalTo("bytes=100-199"))
                .withQueryParam("X-Amz-Signature", equalTo("abc")));

        Http.Response whole = http.get("/api/calls/" + call + "/recording", user.auth());
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.body().getBytes(StandardCharsets.US_ASCII)).isEqualTo(AUDIO);
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(whole.header("Location")).isNull();

        Http.Response tail = http.get("/api/calls/" + call + "/recording", auth("Range", "bytes=-10"));
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.header("Content-Range")).isEqualTo("bytes 990-999/1000");

        Http.Response outside = http.get("/api/calls/" + call + "/recording", auth("Range", "bytes=5000-"));
        assertThat(outside.status()).isEqualTo(416);
        assertThat(outside.header("Content-Range")).isEqualTo("bytes */1000");
        assertThat(outside.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aProviderThatHonoursRangeIsPassedThrough() {
        STORAGE.stubFor(get(urlPathEqualTo("/rec/b.wav")).withHeader("Range", equalTo("bytes=100-199"))
                .willReturn(aResponse().withStatus(206).withHeader("Content-Type", "audio/wav")
                        .withHeader("Content-Range", "bytes 100-199/1000")
                        .withBody(java.util.Arrays.copyOfRange(AUDIO, 100, 200))));
        UUID call = call(user.id(), STORAGE.baseUrl() + "/rec/b.wav");

        Http.Response part = http.get("/api/calls/" + call + "/recording", auth("Range", "bytes=100-199"));

        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body().getBytes(StandardCharsets.US_ASCII)).isEqualTo(java.util.Arrays.copyOfRange(AUDIO, 100, 200));
        assertThat(part.header("Content-Range")).isEqualTo("bytes 100-199/1000");
        assertThat(part.contentType()).isEqualTo("audio/wav");
    }

    @Test
    void noRecordingAnotherTenantsCallOrAMalformedIdAre4xx() {
        UUID none = call(user.id(), null);
        SignedIn stranger = TestUsers.register(http);
        UUID strangers = call(stranger.id(), STORAGE.baseUrl() + "/rec/a.mp3");

        assertThat(http.get("/api/calls/" + none + "/recording", user.auth()).status()).isEqualTo(404);
        Http.Response foreign = http.get("/api/calls/" + strangers + "/recording", user.auth());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/api/calls/" + UUID.randomUUID() + "/recording", user.auth()).status()).isEqualTo(404);
        assertThat(http.get("/api/calls/nope/recording", user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/calls/" + none + "/recording").status()).isEqualTo(401);
        STORAGE.verify(0, getRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void whenTheProviderFailsTheAnswerIsA502ProblemDetail() {
        STORAGE.stubFor(get(urlPathEqualTo("/rec/gone.mp3")).willReturn(aResponse().withStatus(403)));
        STORAGE.stubFor(get(urlPathEqualTo("/rec/broken.mp3")).willReturn(aResponse().withStatus(500)));
        STORAGE.stubFor(get(urlPathEqualTo("/rec/reset.mp3")).willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));
        STORAGE.stubFor(get(urlPathEqualTo("/rec/slow.mp3")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(4000).withBody(AUDIO)));
        for (String path : new String[] { "/rec/gone.mp3", "/rec/broken.mp3", "/rec/reset.mp3", "/rec/slow.mp3" }) {
            UUID call = call(user.id(), STORAGE.baseUrl() + path);
            Http.Response failed = http.get("/api/calls/" + call + "/recording", user.auth());
            assertThat(failed.status()).as(path).isEqualTo(502);
            assertThat(failed.contentType()).as(path).startsWith("application/problem+json");
        }
    }

    @Test
    void onlyAllowedHostsAreFetchedAlsoAfterARedirect() {
        ELSEWHERE.stubFor(get(urlPathMatching(".*")).willReturn(aResponse().withStatus(200).withBody(AUDIO)));
        UUID direct = call(user.id(), ELSEWHERE.baseUrl() + "/rec/a.mp3");
        STORAGE.stubFor(get(urlPathEqualTo("/rec/moved.mp3")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", ELSEWHERE.baseUrl() + "/rec/a.mp3")));
        UUID redirected = call(user.id(), STORAGE.baseUrl() + "/rec/moved.mp3");
        UUID internal = call(user.id(), "http://169.254.169.254/latest/meta-data/");

        for (UUID call : new UUID[] { direct, redirected, internal }) {
            Http.Response refused = http.get("/api/calls/" + call + "/recording", user.auth());
            assertThat(refused.status()).isEqualTo(502);
        }
        ELSEWHERE.verify(0, getRequestedFor(urlPathMatching(".*")));
    }

    private String[] auth(String header, String value) {
        return new String[] { "Authorization", "Bearer " + user.accessToken(), header, value };
    }

    private UUID call(UUID userId, String recordingUrl) {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Bot')", agent, userId,
                "bolna-" + agent);
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status, recording_url)
                VALUES (?, ?, ?, ?, '+14155550123', 'completed', ?)""", id, userId, agent, "exec-" + id, recordingUrl);
        return id;
    }

    private static byte[] audio(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('0' + i % 10);
        }
        return bytes;
    }
}
