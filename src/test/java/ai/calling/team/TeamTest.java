package ai.calling.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.support.TestCampaigns;
import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.Leftovers;
import ai.calling.support.TestCredits;
import ai.calling.support.TestTeams;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Teams through HTTP, as a client would use them: an owner invites two people, one joins as member
 * and one as viewer; roles hold; the workspace's credits pay for a member's call; a removed member
 * is out at once; invitations are single-use; ownership moves by a transfer only.
 */
@IntegrationTest
class TeamTest {

    static final String SECRET = "hook-secret-27";
    static final FakeBolna BOLNA = new FakeBolna();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestCampaigns.useBolna(registry, BOLNA, SECRET);
    }

    @AfterAll
    static void stop() {
        BOLNA.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LoggingMailer mailer;

    @Autowired
    ApplicationContext context;

    Http http;
    SignedIn owner;

    @BeforeEach
    void setUp() {
        Leftovers.clear(context);
        BOLNA.reset();
        BOLNA.webhookUrl("http://localhost:" + port + "/api/webhooks/bolna?token=" + SECRET);
        BOLNA.callLength(Duration.ofMillis(200));
        http = new Http(port);
        owner = TestUsers.register(http);
    }

    @Test
    void anOwnersTwoInviteesJoinAsMemberAndViewerAndEachRoleGetsWhatItMay() {
        String memberEmail = "member-" + UUID.randomUUID() + "@example.test";
        String viewerEmail = "viewer-" + UUID.randomUUID() + "@example.test";
        Http.Response invitedMember = http.post("/api/team/invitations", Map.of("email", memberEmail.toUpperCase(),
                "teamRole", "member"), owner.auth());
        Http.Response invitedViewer = http.post("/api/team/invitations", Map.of("email", viewerEmail, "teamRole",
                "viewer"), owner.auth());

        assertThat(invitedMember.status()).as(invitedMember.body()).isEqualTo(201);
        assertThat(invitedMember.json().path("email").asString()).isEqualTo(memberEmail);
        assertThat(invitedMember.json().path("teamRole").asString()).isEqualTo("member");
        assertThat(invitedMember.json().path("status").asString()).isEqualTo("pending");
        assertThat(invitedMember.json().path("expiresAt").asString()).isNotBlank();
        assertThat(invitedViewer.status()).isEqualTo(201);
        assertThat(mailer.recent().stream().filter(m -> m.to().equals(memberEmail)).findFirst().orElseThrow().text())
                .contains("http://localhost:3000/accept-invitation?token=");

        SignedIn member = TestTeams.accept(http, memberEmail, TestTeams.tokenMailedTo(mailer, memberEmail));
        SignedIn viewer = TestTeams.accept(http, viewerEmail, TestTeams.tokenMailedTo(mailer, viewerEmail));

        JsonNode me = http.get("/api/auth/me", member.auth()).json();
        assertThat(me.path("workspaceId").asString()).isEqualTo(owner.id().toString());
        assertThat(me.path("teamRole").asString()).isEqualTo("member");
        assertThat(me.path("role").asString()).isEqualTo("user");
        JsonNode members = http.get("/api/team/members", viewer.auth()).json();
        assertThat(members.path("totalItems").asInt()).isEqualTo(3);
        assertThat(members.path("items").valueStream().map(m -> m.path("teamRole").asString()).toList())
                .containsExactlyInAnyOrder("owner", "member", "viewer");

        // the viewer reads the workspace's data but changes nothing
        String agent = agent();
        assertThat(http.get("/api/agents/" + agent, viewer.auth()).status()).isEqualTo(200);
        for (Http.Response refused : List.of(
                http.post("/api/contacts", Map.of("phoneNumber", "+14155550100"), viewer.auth()),
                http.patch("/api/agents/" + agent, Map.of("name", "Renamed"), viewer.auth()),
                http.delete("/api/agents/" + agent, viewer.auth()),
                http.post("/api/calls", Map.of("agentId", agent, "phoneNumber", "+14155550100"), viewer.auth()))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, owner.id()))
                .isZero();

        // the member works with contacts but manages neither members nor keys nor agents
        Http.Response contact = http.post("/api/contacts", Map.of("phoneNumber", "+14155550101"), member.auth());
        assertThat(contact.status()).isEqualTo(201);
        assertThat(contact.json().path("createdBy").asString()).isEqualTo(member.id().toString());
        Http.Response campaign = http.post("/api/campaigns", Map.of("name", "Members' list", "agentId", agent,
                "timezone", "UTC", "callingWindow", Map.of("start", "09:00", "end", "17:00", "days", List.of("MON")),
                "maxConcurrentCalls", 1), member.auth());
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        assertThat(campaign.json().path("createdBy").asString()).isEqualTo(member.id().toString());
        for (Http.Response refused : List.of(
                http.post("/api/team/invitations", Map.of("email", "x-" + UUID.randomUUID() + "@example.test",
                        "teamRole", "viewer"), member.auth()),
                http.patch("/api/team/members/" + viewer.id(), Map.of("teamRole", "member"), member.auth()),
                http.delete("/api/team/members/" + viewer.id(), member.auth()),
                http.post("/api/api-keys", Map.of("name", "mine"), member.auth()),
                http.get("/api/api-keys", member.auth()),
                http.patch("/api/agents/" + agent, Map.of("name", "Renamed"), member.auth()))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        }
        assertThat(jdbc.queryForObject("SELECT team_role FROM team_members WHERE user_id = ?", String.class,
                viewer.id())).isEqualTo("viewer");
        assertThat(jdbc.queryForObject("SELECT created_by FROM contacts WHERE user_id = ?", UUID.class, owner.id()))
                .as("attribution").isEqualTo(member.id());
    }

    @Test
    void aMembersCallSpendsTheWorkspacesCredits() {
        SignedIn member = TestTeams.join(http, mailer, owner, "member");
        TestCredits.setBalance(jdbc, owner.id(), 100);
        String agent = agent();

        Http.Response call = http.post("/api/calls", Map.of("agentId", agent, "phoneNumber", "+14155550102"),
                member.auth());

        assertThat(call.status()).as(call.body()).isEqualTo(201);
        assertThat(call.json().path("createdBy").asString()).isEqualTo(member.id().toString());
        String callId = call.json().path("id").asString();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(jdbc.queryForObject(
                "SELECT status FROM calls WHERE id = ?::uuid", String.class, callId)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/credits/balance", member.auth())
                .json().path("held").asInt() == 0);
        JsonNode balance = http.get("/api/credits/balance", member.auth()).json();
        assertThat(balance.path("credits").asInt()).as("one started minute").isEqualTo(100 - 1)
                .isEqualTo(http.get("/api/credits/balance", owner.auth()).json().path("credits").asInt());
        assertThat(jdbc.queryForMap("SELECT user_id, created_by FROM calls WHERE id = ?::uuid", UUID.fromString(callId)))
                .containsEntry("user_id", owner.id()).containsEntry("created_by", member.id());
        assertThat(jdbc.queryForObject("SELECT credits FROM users WHERE id = ?", Integer.class, member.id()))
                .as("a member holds no credits of their own").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ?", Long.class,
                member.id())).isZero();
    }

    @Test
    void aRemovedMembersNextRequestAndTheirKeysAnswer401() {
        SignedIn admin = TestTeams.join(http, mailer, owner, "admin");
        String key = http.post("/api/api-keys", Map.of("name", "admin's key"), admin.auth()).json().path("key")
                .asString();
        assertThat(http.get("/api/contacts", Http.bearer(key)).status()).isEqualTo(200);
        assertThat(http.post("/api/agents", Map.of("name", "By key"), Http.bearer(key)).status())
                .as("a key acts with its creator's role").isNotEqualTo(403);

        assertThat(http.delete("/api/team/members/" + admin.id(), owner.auth()).status()).isEqualTo(204);

        assertThat(http.get("/api/contacts", admin.auth()).status()).isEqualTo(401);
        assertThat(http.get("/api/contacts", Http.bearer(key)).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", admin.refreshToken())).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/login", Map.of("email", admin.email(), "password", TestUsers.PASSWORD))
                .status()).isEqualTo(401);
        assertThat(http.get("/api/team/members", owner.auth()).json().path("totalItems").asInt()).isEqualTo(1);
        JsonNode audit = http.get("/api/team/audit-log", owner.auth()).json().path("items");
        assertThat(audit.valueStream().map(e -> e.path("action").asString()).toList())
                .contains("team.member.removed", "team.invitation.accepted", "team.invitation.created");
    }

    /**
     * A platform admin deactivates a workspace: its members' requests are refused (401), and so are their sign-in
     * (403, saying why) and refresh (401): they got tokens that every request then refused.
     */
    @Test
    void theMembersOfADeactivatedWorkspaceCannotSignInOrRefresh() {
        SignedIn member = TestTeams.join(http, mailer, owner, "member");
        SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "super_admin");

        assertThat(http.patch("/api/admin/users/" + owner.id() + "/status", Map.of("active", false), admin.auth())
                .status()).isEqualTo(200);

        assertThat(http.get("/api/contacts", member.auth()).status()).isEqualTo(401);
        Http.Response login = http.post("/api/auth/login", Map.of("email", member.email(), "password", TestUsers.PASSWORD));
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.json().path("detail").asString()).contains("workspace has been deactivated");
        assertThat(http.post("/api/auth/refresh", Map.of("refreshToken", member.refreshToken())).status()).isEqualTo(401);

        assertThat(http.patch("/api/admin/users/" + owner.id() + "/status", Map.of("active", true), admin.auth())
                .status()).isEqualTo(200);
        assertThat(http.post("/api/auth/login", Map.of("email", member.email(), "password", TestUsers.PASSWORD))
                .status()).isEqualTo(200);
    }

    /**
     * A member can be a platform super_admin too (promoted in the admin console). Removing a member closes the
     * account for good: it must not leave the platform without an active super_admin, as closing a workspace
     * must not (409, nothing changed). The other super_admins of the shared test database are set aside for it.
     */
    @Test
    void removingTheLastActiveSuperAdminFromATeamIsRefused() {
        SignedIn member = TestTeams.join(http, mailer, owner, "member");
        jdbc.update("UPDATE users SET role = 'super_admin' WHERE id = ?", member.id());
        List<UUID> others = jdbc.queryForList("SELECT id FROM users WHERE role = 'super_admin' AND is_active AND id <> ?",
                UUID.class, member.id());
        jdbc.update("UPDATE users SET is_active = false WHERE id = ANY(?)", (Object) others.toArray(UUID[]::new));
        try {
            Http.Response removed = http.delete("/api/team/members/" + member.id(), owner.auth());

            assertThat(removed.status()).isEqualTo(409);
            assertThat(removed.json().path("detail").asString()).contains("last active super_admin");
            assertThat(jdbc.queryForObject("SELECT is_active FROM users WHERE id = ?", Boolean.class, member.id())).isTrue();
            assertThat(http.get("/api/contacts", member.auth()).status()).isEqualTo(200);
        } finally {
            jdbc.update("UPDATE users SET is_active = true WHERE id = ANY(?)", (Object) others.toArray(UUID[]::new));
            jdbc.update("UPDATE users SET role = 'user' WHERE id = ?", member.id());
        }
    }

    /**
     * Two admins demote each other at once. The change acts with the caller's role as it is once the two
     * memberships are locked, not as it was when the request was authenticated: one passes, the other, demoted
     * meanwhile, is refused (403), and one admin is left. Both passed before, and the workspace lost both.
     */
    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        try (var pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 5; round++) {
                SignedIn first = TestTeams.join(http, mailer, owner, "admin");
                SignedIn second = TestTeams.join(http, mailer, owner, "admin");
                CountDownLatch start = new CountDownLatch(1);
                Future<Integer> one = pool.submit(() -> {
                    start.await();
                    return http.patch("/api/team/members/" + second.id(), Map.of("teamRole", "viewer"), first.auth())
                            .status();
                });
                Future<Integer> two = pool.submit(() -> {
                    start.await();
                    return http.patch("/api/team/members/" + first.id(), Map.of("teamRole", "viewer"), second.auth())
                            .status();
                });
                start.countDown();

                assertThat(List.of(one.get(), two.get())).as("round %d", round).containsExactlyInAnyOrder(200, 403);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM team_members WHERE workspace_id = ? "
                        + "AND user_id IN (?, ?) AND team_role = 'admin'", Long.class, owner.id(), first.id(), second.id()))
                        .as("round %d", round).isOne();
            }
        }
    }

    /** An invitation lapses with its sender's rights: removed, or demoted to a role that may not grant it. */
    @Test
    void theInvitationsOfAnAdminRemovedOrDemotedSinceNoLongerLetAnyoneIn() {
        SignedIn removed = TestTeams.join(http, mailer, owner, "admin");
        SignedIn demoted = TestTeams.join(http, mailer, owner, "admin");
        String byRemoved = "by-removed-" + UUID.randomUUID() + "@example.test";
        String byDemoted = "by-demoted-" + UUID.randomUUID() + "@example.test";
        assertThat(http.post("/api/team/invitations", Map.of("email", byRemoved, "teamRole", "admin"), removed.auth())
                .status()).isEqualTo(201);
        assertThat(http.post("/api/team/invitations", Map.of("email", byDemoted, "teamRole", "member"), demoted.auth())
                .status()).isEqualTo(201);

        assertThat(http.delete("/api/team/members/" + removed.id(), owner.auth()).status()).isEqualTo(204);
        assertThat(http.patch("/api/team/members/" + demoted.id(), Map.of("teamRole", "viewer"), owner.auth()).status())
                .isEqualTo(200);

        for (String email : List.of(byRemoved, byDemoted)) {
            Http.Response refused = accept(TestTeams.tokenMailedTo(mailer, email));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Long.class, email)).isZero();
        }
        assertThat(http.get("/api/team/members", owner.auth()).json().path("totalItems").asInt()).isEqualTo(2);
        // the owner resends one: the owner is its inviter now, and its new link lets its invitee in
        String id = jdbc.queryForObject("SELECT id::text FROM team_invitations WHERE email = ?", String.class, byRemoved);
        assertThat(http.post("/api/team/invitations/" + id + "/resend", "", owner.auth()).status()).isEqualTo(200);
        assertThat(accept(TestTeams.tokenMailedTo(mailer, byRemoved)).status()).isEqualTo(201);
    }

    @Test
    void anAdminManagesMembersButNotOwnersAndOnlyTheOwnerTransfersOwnership() {
        SignedIn admin = TestTeams.join(http, mailer, owner, "admin");
        SignedIn viewer = TestTeams.join(http, mailer, admin, "viewer");

        assertThat(http.patch("/api/team/members/" + viewer.id(), Map.of("teamRole", "member"), admin.auth()).status())
                .isEqualTo(200);
        assertThat(http.patch("/api/team/members/" + owner.id(), Map.of("teamRole", "member"), admin.auth()).status())
                .isEqualTo(403);
        assertThat(http.delete("/api/team/members/" + owner.id(), admin.auth()).status()).isEqualTo(403);
        assertThat(http.patch("/api/team/members/" + viewer.id(), Map.of("teamRole", "owner"), owner.auth()).status())
                .as("nobody becomes owner but by a transfer").isEqualTo(400);
        assertThat(http.post("/api/team/transfer-ownership", Map.of("userId", viewer.id()), admin.auth()).status())
                .isEqualTo(403);
        assertThat(http.delete("/api/team/members/" + owner.id(), owner.auth()).status())
                .as("an owner cannot leave without transferring").isEqualTo(409);
        assertThat(closeWorkspace(admin).status())
                .as("only the owner closes the workspace").isEqualTo(403);

        assertThat(http.post("/api/team/transfer-ownership", Map.of("userId", admin.id()), owner.auth()).status())
                .isEqualTo(204);

        assertThat(http.get("/api/auth/me", admin.auth()).json().path("teamRole").asString()).isEqualTo("owner");
        assertThat(http.get("/api/auth/me", owner.auth()).json().path("teamRole").asString()).isEqualTo("admin");
        assertThat(http.post("/api/billing/checkout", Map.of("packageId", "none"), owner.auth()).status())
                .as("billing is the owner's").isEqualTo(403);
        assertThat(http.delete("/api/team/members/" + owner.id(), admin.auth()).status())
                .as("the founding account holds the workspace").isEqualTo(409);
        assertThat(http.delete("/api/team/members/" + viewer.id(), viewer.auth()).status()).as("leaving")
                .isEqualTo(204);
        assertThat(http.get("/api/contacts", viewer.auth()).status()).isEqualTo(401);
    }

    @Test
    void invitationsAreSingleUseExpireAndCanBeRevokedOrResent() {
        String email = "invitee-" + UUID.randomUUID() + "@example.test";
        String id = http.post("/api/team/invitations", Map.of("email", email, "teamRole", "member"), owner.auth())
                .json().path("id").asString();
        String first = TestTeams.tokenMailedTo(mailer, email);
        assertThat(http.post("/api/team/invitations", Map.of("email", email, "teamRole", "viewer"), owner.auth())
                .status()).as("already pending").isEqualTo(409);
        assertThat(http.post("/api/team/invitations", Map.of("email", owner.email(), "teamRole", "viewer"),
                owner.auth()).status()).as("has an account").isEqualTo(409);
        assertThat(http.post("/api/team/invitations", Map.of("email", "someone@example.test", "teamRole", "owner"),
                owner.auth()).status()).isEqualTo(400);

        Http.Response resent = http.post("/api/team/invitations/" + id + "/resend", "", owner.auth());
        assertThat(resent.status()).isEqualTo(200);
        String second = TestTeams.tokenMailedTo(mailer, email);
        assertThat(second).isNotEqualTo(first);
        assertThat(accept(first).status()).as("the link resending replaced").isEqualTo(400);

        jdbc.update("UPDATE team_invitations SET expires_at = now() - interval '1 second' WHERE id = ?::uuid", id);
        assertThat(accept(second).status()).as("expired").isEqualTo(400);
        assertThat(http.get("/api/team/invitations", owner.auth()).json().path("items").get(0).path("status")
                .asString()).isEqualTo("expired");
        http.post("/api/team/invitations/" + id + "/resend", "", owner.auth());
        String third = TestTeams.tokenMailedTo(mailer, email);

        assertThat(accept(third).status()).isEqualTo(201);
        assertThat(accept(third).status()).as("used").isEqualTo(400);
        assertThat(http.delete("/api/team/invitations/" + id, owner.auth()).status()).isEqualTo(409);

        String otherEmail = "revoked-" + UUID.randomUUID() + "@example.test";
        String other = http.post("/api/team/invitations", Map.of("email", otherEmail, "teamRole", "viewer"),
                owner.auth()).json().path("id").asString();
        assertThat(http.delete("/api/team/invitations/" + other, owner.auth()).status()).isEqualTo(204);
        assertThat(accept(TestTeams.tokenMailedTo(mailer, otherEmail)).status()).as("revoked").isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Long.class, otherEmail)).isZero();
    }

    @Test
    void eightParallelAcceptancesOfOneInvitationMakeOneAccount() throws Exception {
        String email = "race-" + UUID.randomUUID() + "@example.test";
        http.post("/api/team/invitations", Map.of("email", email, "teamRole", "member"), owner.auth());
        String token = TestTeams.tokenMailedTo(mailer, email);

        List<Integer> statuses;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> accept(token).status()));
            }
            statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        }

        assertThat(statuses).containsOnly(201, 400).filteredOn(status -> status == 201).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Long.class, email)).isOne();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM team_members WHERE workspace_id = ?", Long.class,
                owner.id())).isEqualTo(2);
    }

    @Test
    void theAuditLogNamesTheMemberBehindEachChange() {
        SignedIn member = TestTeams.join(http, mailer, owner, "member");
        String contact = http.post("/api/contacts", Map.of("phoneNumber", "+14155550103"), member.auth()).json()
                .path("id").asString();
        http.patch("/api/contacts/" + contact, Map.of("name", "Renamed"), owner.auth());
        http.get("/api/contacts/" + contact, member.auth());

        JsonNode byMember = http.get("/api/team/audit-log?actorUserId=" + member.id(), owner.auth()).json();
        assertThat(byMember.path("items").valueStream().map(e -> e.path("action").asString()).toList())
                .containsExactly("POST /api/contacts", "team.invitation.accepted");
        JsonNode patch = http.get("/api/team/audit-log?action="
                + URLEncoder.encode("PATCH /api/contacts/{id}", StandardCharsets.UTF_8), owner.auth()).json()
                .path("items").get(0);
        assertThat(patch.path("actorUserId").asString()).isEqualTo(owner.id().toString());
        assertThat(patch.path("resourceType").asString()).isEqualTo("contacts");
        assertThat(patch.path("resourceId").asString()).isEqualTo(contact);
        assertThat(patch.path("details").path("via").asString()).isEqualTo("session");
        assertThat(http.get("/api/team/audit-log", member.auth()).status()).isEqualTo(403);
        SignedIn stranger = TestUsers.register(http);
        assertThat(http.get("/api/team/audit-log", stranger.auth()).json().path("totalItems").asInt())
                .as("another workspace's log is its own").isZero();
    }

    @Test
    void closingTheWorkspaceSignsEveryMemberOut() {
        SignedIn member = TestTeams.join(http, mailer, owner, "member");

        assertThat(closeWorkspace(owner).status())
                .isEqualTo(204);

        assertThat(http.get("/api/contacts", member.auth()).status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT is_active FROM users WHERE id = ?", Boolean.class, member.id())).isFalse();
    }

    private Http.Response closeWorkspace(SignedIn who) {
        return http.send("DELETE", "/api/auth/me", "application/json",
                "{\"password\":\"" + TestUsers.PASSWORD + "\"}", who.auth());
    }

    private Http.Response accept(String token) {
        return http.post("/api/team/invitations/accept", Map.of("token", token, "name", "Invitee", "password",
                TestUsers.PASSWORD));
    }

    private String agent() {
        return TestCampaigns.agent(http, owner, "Team agent", 60).path("id").asString();
    }
}
