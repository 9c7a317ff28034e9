package ai.calling.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.StartedApplication;
import ai.calling.support.TestTeams;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Two instances on one database: a change of role or a removal made through one instance holds on
 * the other at the member's very next request (nothing about a member is cached per instance).
 */
@IntegrationTest
class TeamTwoInstancesTest {

    static StartedApplication other;

    @BeforeAll
    static void startTheOtherInstance() {
        other = StartedApplication.start();
    }

    @AfterAll
    static void stopTheOtherInstance() {
        other.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    LoggingMailer mailer;

    @Test
    void aRoleChangeAndARemovalOnOneInstanceHoldOnTheOtherAtTheNextRequest() {
        Http one = new Http(port);
        SignedIn owner = TestUsers.register(one);
        SignedIn member = TestTeams.join(one, mailer, owner, "member");
        Map<String, String> contact = Map.of("phoneNumber", "+14155550104");
        assertThat(other.http().post("/api/contacts", contact, member.auth()).status()).isEqualTo(201);

        assertThat(one.patch("/api/team/members/" + member.id(), Map.of("teamRole", "viewer"), owner.auth()).status())
                .isEqualTo(200);
        assertThat(other.http().post("/api/contacts", Map.of("phoneNumber", "+14155550105"), member.auth()).status())
                .isEqualTo(403);
        assertThat(other.http().get("/api/contacts", member.auth()).status()).isEqualTo(200);

        assertThat(one.delete("/api/team/members/" + member.id(), owner.auth()).status()).isEqualTo(204);
        assertThat(other.http().get("/api/contacts", member.auth()).status()).isEqualTo(401);
    }
}
