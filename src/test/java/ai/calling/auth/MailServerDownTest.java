package ai.calling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

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
import tools.jackson.databind.JsonNode;

/**
 * The SMTP server takes connections and never answers. A password reset answers as for an unknown address, at
 * once (it answered 500 for an account only, then later than for an unknown one: who has one could be told
 * apart), its token kept; an invitation whose mail cannot be sent answers 503 and keeps nothing, so inviting
 * again is not a 409; a resend answers 503 too.
 */
@IntegrationTest
class MailServerDownTest {

    /** A mail server that takes connections and never answers: a mail fails after the 2 s read timeout. */
    static final ServerSocket SILENT = silentServer();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", SILENT::getLocalPort);
        registry.add("spring.mail.properties.mail.smtp.connectiontimeout", () -> "2000");
        registry.add("spring.mail.properties.mail.smtp.timeout", () -> "2000");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private static ServerSocket silentServer() {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A password reset answers as for an unknown address, at once: its mail goes out on a thread of its own. Sent
     * in the request, the answer for an account came after the mail server's timeout (2 s here), and one for an
     * unknown address at once: who has an account could be told apart by timing.
     */
    @Test
    void aPasswordResetAnswersAsForAnUnknownAddressAndItsTokenIsKept() {
        Http http = new Http(port);
        SignedIn user = TestUsers.register(http);

        long started = System.nanoTime();
        Http.Response known = http.post("/api/auth/forgot-password", Map.of("email", user.email()));
        Duration answered = Duration.ofNanos(System.nanoTime() - started);
        Http.Response unknown = http.post("/api/auth/forgot-password", Map.of("email", "nobody-" + UUID.randomUUID()
                + "@example.com"));

        assertThat(answered).as("not after the mail server's 2 s").isLessThan(Duration.ofMillis(1500));
        assertThat(known.status()).isEqualTo(unknown.status()).isEqualTo(202);
        assertThat(known.body()).isEqualTo(unknown.body());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM auth_tokens WHERE user_id = ? AND purpose = 'password_reset'",
                Long.class, user.id())).isOne();
    }

    @Test
    void anInvitationWhoseMailCannotBeSentIs503AndKeepsNothing() {
        Http http = new Http(port);
        SignedIn owner = TestUsers.register(http);
        String email = "invitee-" + UUID.randomUUID() + "@example.com";
        Map<String, String> body = Map.of("email", email, "teamRole", "member");

        Http.Response first = http.post("/api/team/invitations", body, owner.auth());
        assertThat(first.status()).as(first.body()).isEqualTo(503);
        assertThat(first.json().path("detail").asString()).contains("could not be sent");
        JsonNode listed = http.get("/api/team/invitations", owner.auth()).json().path("items");
        assertThat(listed.findValuesAsString("status")).doesNotContain("pending");

        Http.Response again = http.post("/api/team/invitations", body, owner.auth());
        assertThat(again.status()).as("not a 409: nothing was kept").isEqualTo(503);
    }
}
