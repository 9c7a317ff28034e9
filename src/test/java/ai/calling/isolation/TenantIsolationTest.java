package ai.calling.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestTeams;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import ai.calling.team.TeamRoleMatrixTest;

/**
 * Tenant isolation by construction: every endpoint of ours whose path takes a variable is found in
 * Spring's handler mappings, and each must either have a cross-tenant case here (tenant B asking
 * for tenant A's resource gets 404, exactly like a missing id, and A's resource is untouched) or be
 * listed as not tenant-scoped, with the reason. A new endpoint without either fails this suite.
 */
@IntegrationTest
class TenantIsolationTest {

    /** Endpoints that take an id but are deliberately not scoped to the caller's tenant. */
    static final Map<String, String> NOT_TENANT_SCOPED = Map.ofEntries(
            Map.entry("GET /api/admin/users/{id}", "admin dashboard: admins see every account (AdminUsersTest)"),
            Map.entry("PUT /api/admin/users/{id}/role", "admin dashboard: super_admin only (AdminUsersTest)"),
            Map.entry("PATCH /api/admin/users/{id}/status", "admin dashboard: admins manage every account"),
            Map.entry("PATCH /api/admin/users/{id}", "admin dashboard: any account, audited (LeadAnalysisTest)"),
            Map.entry("POST /api/admin/users/{id}/credits", "admin dashboard: adjustments of any account"),
            Map.entry("GET /api/admin/users/{id}/transactions", "admin dashboard: any account's history"),
            Map.entry("PATCH /api/admin/phone-numbers/{id}", "admin dashboard: numbers belong to the platform"),
            Map.entry("POST /api/admin/phone-numbers/{id}/deactivate", "admin dashboard: platform numbers"),
            Map.entry("POST /api/admin/phone-numbers/{id}/assign", "admin dashboard: platform numbers"),
            Map.entry("POST /api/admin/phone-numbers/{id}/unassign", "admin dashboard: platform numbers"),
            Map.entry("POST /api/admin/webhooks/bolna/{id}/replay", "admin dashboard: platform webhook events"),
            Map.entry("GET /api/openai-prompts/admin/users/{userId}/prompts", "admins only (LeadAnalysisTest)"),
            Map.entry("POST /api/admin/users/{id}/sessions/revoke", "admin console (AdminPlatformTest)"),
            Map.entry("GET /api/admin/config/{key}", "admin console: platform settings (AdminPlatformTest)"),
            Map.entry("PUT /api/admin/config/{key}", "admin console: platform settings (AdminPlatformTest)"),
            Map.entry("POST /api/admin/jobs/{name}/run", "admin console: platform jobs (AdminPlatformTest)"),
            Map.entry("GET /api/admin/users/{id}/isolation-audit", "admin console (AdminPlatformTest)"),
            Map.entry("PUT /api/openai-prompts/admin/users/{userId}/prompts", "admins only, audited (LeadAnalysisTest)"),
            Map.entry("DELETE /api/admin/do-not-call/{phoneNumber}", "admin console: the platform's list (CampaignsTest)"));

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LoggingMailer mailer;

    /** Cross-tenant cases, keyed by "METHOD /path/{pattern}". */
    Map<String, CrossTenantCase> cases() {
        Map<String, CrossTenantCase> cases = new LinkedHashMap<>();
        cases.put("DELETE /api/api-keys/{id}", new CrossTenantCase(this::apiKey, (http, caller, id) ->
                http.delete("/api/api-keys/" + id, caller.auth())));
        cases.put("GET /api/webhook-endpoints/{id}", new CrossTenantCase(this::webhookEndpoint, (http, caller, id) ->
                http.get("/api/webhook-endpoints/" + id, caller.auth())));
        cases.put("PATCH /api/webhook-endpoints/{id}", new CrossTenantCase(this::webhookEndpoint, (http, caller, id) ->
                http.patch("/api/webhook-endpoints/" + id, Map.of("description", "Taken over"), caller.auth())));
        cases.put("DELETE /api/webhook-endpoints/{id}", new CrossTenantCase(this::webhookEndpoint, (http, caller, id) ->
                http.delete("/api/webhook-endpoints/" + id, caller.auth())));
        cases.put("GET /api/webhook-endpoints/{id}/deliveries", new CrossTenantCase(this::webhookEndpoint,
                (http, caller, id) -> http.get("/api/webhook-endpoints/" + id + "/deliveries", caller.auth())));
        for (String action : List.of("rotate-secret", "test")) {
            cases.put("POST /api/webhook-endpoints/{id}/" + action, new CrossTenantCase(this::webhookEndpoint,
                    (http, caller, id) -> http.post("/api/webhook-endpoints/" + id + "/" + action, "", caller.auth())));
        }
        cases.put("POST /api/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver", new CrossTenantCase(
                this::webhookEndpoint, (http, caller, id) -> http.post("/api/webhook-endpoints/" + id + "/deliveries/"
                        + UUID.randomUUID() + "/redeliver", "", caller.auth())));
        cases.put("GET /api/contacts/{id}", new CrossTenantCase(this::contact, (http, caller, id) ->
                http.get("/api/contacts/" + id, caller.auth())));
        cases.put("PATCH /api/contacts/{id}", new CrossTenantCase(this::contact, (http, caller, id) ->
                http.patch("/api/contacts/" + id, Map.of("name", "Taken over"), caller.auth())));
        cases.put("DELETE /api/contacts/{id}", new CrossTenantCase(this::contact, (http, caller, id) ->
                http.delete("/api/contacts/" + id, caller.auth())));
        cases.put("GET /api/agents/{id}", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.get("/api/agents/" + id, caller.auth())));
        cases.put("PATCH /api/agents/{id}", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.patch("/api/agents/" + id, Map.of("name", "Taken over"), caller.auth())));
        cases.put("DELETE /api/agents/{id}", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.delete("/api/agents/" + id, caller.auth())));
        cases.put("POST /api/agents/{id}/sync", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.post("/api/agents/" + id + "/sync", "", caller.auth())));
        cases.put("GET /api/calls/{id}", new CrossTenantCase(this::call, (http, caller, id) ->
                http.get("/api/calls/" + id, caller.auth())));
        cases.put("GET /api/calls/{id}/transcript", new CrossTenantCase(this::callWithTranscript, (http, caller, id) ->
                http.get("/api/calls/" + id + "/transcript", caller.auth())));
        cases.put("DELETE /api/auth/sessions/{id}", new CrossTenantCase(this::session, (http, caller, id) ->
                http.delete("/api/auth/sessions/" + id, caller.auth())));
        cases.put("GET /api/calls/{id}/recording", new CrossTenantCase(this::callWithRecording, (http, caller, id) ->
                http.get("/api/calls/" + id + "/recording", caller.auth())));
        cases.put("POST /api/calls/{id}/stop", new CrossTenantCase(this::call, (http, caller, id) ->
                http.post("/api/calls/" + id + "/stop", "", caller.auth())));
        cases.put("PATCH /api/follow-ups/{id}", new CrossTenantCase(this::followUp, (http, caller, id) ->
                http.patch("/api/follow-ups/" + id, Map.of("status", "cancelled"), caller.auth())));
        cases.put("DELETE /api/follow-ups/{id}", new CrossTenantCase(this::followUp, (http, caller, id) ->
                http.delete("/api/follow-ups/" + id, caller.auth())));
        cases.put("GET /api/customers/{id}", new CrossTenantCase(this::customer, (http, caller, id) ->
                http.get("/api/customers/" + id, caller.auth())));
        cases.put("PATCH /api/customers/{id}", new CrossTenantCase(this::customer, (http, caller, id) ->
                http.patch("/api/customers/" + id, Map.of("status", "Churned"), caller.auth())));
        cases.put("POST /api/notifications/{id}/read", new CrossTenantCase(this::notification, (http, caller, id) ->
                http.post("/api/notifications/" + id + "/read", "", caller.auth())));
        cases.put("POST /api/calls/{id}/analysis/retry", new CrossTenantCase(this::callWithTranscript, (http, caller, id) ->
                http.post("/api/calls/" + id + "/analysis/retry", "", caller.auth())));
        cases.put("POST /api/agents/{id}/targets", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.post("/api/agents/" + id + "/targets", Map.of("targetDate", "2030-01-01", "targetType", "daily",
                        "targetCalls", 5), caller.auth())));
        cases.put("GET /api/agents/{id}/targets", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.get("/api/agents/" + id + "/targets", caller.auth())));
        cases.put("DELETE /api/agents/{id}/targets/{targetId}", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.delete("/api/agents/" + id + "/targets/" + UUID.randomUUID(), caller.auth())));
        cases.put("GET /api/analytics/agents/{id}/outcomes", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.get("/api/analytics/agents/" + id + "/outcomes", caller.auth())));
        cases.put("GET /api/analytics/agents/{id}/trends", new CrossTenantCase(this::agent, (http, caller, id) ->
                http.get("/api/analytics/agents/" + id + "/trends", caller.auth())));
        cases.put("GET /api/campaigns/{id}", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.get("/api/campaigns/" + id, caller.auth())));
        cases.put("PATCH /api/campaigns/{id}", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.patch("/api/campaigns/" + id, Map.of("name", "Taken over"), caller.auth())));
        cases.put("DELETE /api/campaigns/{id}", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.delete("/api/campaigns/" + id, caller.auth())));
        for (String change : List.of("start", "pause", "resume", "cancel")) {
            cases.put("POST /api/campaigns/{id}/" + change, new CrossTenantCase(this::campaign, (http, caller, id) ->
                    http.post("/api/campaigns/" + id + "/" + change, "", caller.auth())));
        }
        cases.put("POST /api/campaigns/{id}/recipients/upload", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.upload("/api/campaigns/" + id + "/recipients/upload", "file", "recipients.csv", "text/csv",
                        "phone_number\n+14155550996\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        caller.auth())));
        cases.put("POST /api/campaigns/{id}/recipients", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.post("/api/campaigns/" + id + "/recipients", Map.of("phoneNumbers", List.of("+14155550996")),
                        caller.auth())));
        cases.put("GET /api/campaigns/{id}/recipients", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.get("/api/campaigns/" + id + "/recipients", caller.auth())));
        cases.put("GET /api/campaigns/{id}/recipients/export", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.get("/api/campaigns/" + id + "/recipients/export", caller.auth())));
        cases.put("GET /api/analytics/campaigns/{id}", new CrossTenantCase(this::campaign, (http, caller, id) ->
                http.get("/api/analytics/campaigns/" + id, caller.auth())));
        cases.put("DELETE /api/do-not-call/{phoneNumber}", new CrossTenantCase(owner -> {
            jdbc.update("INSERT INTO do_not_call_numbers (user_id, phone_number) VALUES (?, '+14155550995')", owner.id());
            return "+14155550995";
        }, (http, caller, id) -> http.delete("/api/do-not-call/" + id, caller.auth())));
        cases.put("GET /api/leads/{phone}", new CrossTenantCase(owner -> {
            call(owner);
            return "+14155550998";
        }, (http, caller, id) -> http.get("/api/leads/" + id, caller.auth())));
        cases.put("PATCH /api/team/members/{userId}", new CrossTenantCase(this::teamMember, (http, caller, id) ->
                http.patch("/api/team/members/" + id, Map.of("teamRole", "viewer"), caller.auth())));
        cases.put("DELETE /api/team/members/{userId}", new CrossTenantCase(this::teamMember, (http, caller, id) ->
                http.delete("/api/team/members/" + id, caller.auth())));
        cases.put("DELETE /api/team/invitations/{id}", new CrossTenantCase(this::invitation, (http, caller, id) ->
                http.delete("/api/team/invitations/" + id, caller.auth())));
        cases.put("POST /api/team/invitations/{id}/resend", new CrossTenantCase(this::invitation, (http, caller, id) ->
                http.post("/api/team/invitations/" + id + "/resend", "", caller.auth())));
        return cases;
    }

    private String teamMember(SignedIn owner) {
        return TestTeams.join(new Http(port), mailer, owner, "member").id().toString();
    }

    private String invitation(SignedIn owner) {
        return new Http(port).post("/api/team/invitations", Map.of("email", "invited-" + UUID.randomUUID()
                + "@example.test", "teamRole", "viewer"), owner.auth()).json().path("id").asString();
    }

    private String followUp(SignedIn owner) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO follow_ups (id, user_id, lead_phone, follow_up_date) VALUES (?, ?, '+14155550997', "
                + "CURRENT_DATE + 1)", id, owner.id());
        return id.toString();
    }

    private String customer(SignedIn owner) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO customers (id, user_id, name) VALUES (?, ?, 'Owned')", id, owner.id());
        return id.toString();
    }

    private String notification(SignedIn owner) {
        String call = call(owner);
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO lead_analytics (id, call_id, user_id, smart_notification) VALUES (?, ?::uuid, ?, 'hi')",
                id, call, owner.id());
        return id.toString();
    }

    @Test
    void everyIdTakingEndpointHasACrossTenantCaseOrAStatedReason() {
        Set<String> endpoints = idTakingEndpoints();
        Set<String> uncovered = new TreeSet<>(endpoints);
        uncovered.removeAll(cases().keySet());
        uncovered.removeAll(NOT_TENANT_SCOPED.keySet());

        assertThat(uncovered).as("endpoints with a path variable but no cross-tenant case").isEmpty();
        assertThat(endpoints).as("every listed case and exemption still exists")
                .containsAll(cases().keySet()).containsAll(NOT_TENANT_SCOPED.keySet());
    }

    /**
     * Each role of another workspace (its owner, an admin, a member, a viewer) asks for the resource:
     * 404 exactly like a missing id where the role may call the endpoint, and where it may not, the
     * same 403 a missing id gets; either way the owner's resource is untouched.
     */
    @TestFactory
    Stream<DynamicTest> everyRoleOfAnotherWorkspaceGets404ForItsIdsLikeAMissingOne() {
        Http http = new Http(port);
        SignedIn strangersOwner = TestUsers.register(http);
        Map<String, SignedIn> workspaceB = Map.of(TeamRoleMatrixTest.OWNER, strangersOwner,
                TeamRoleMatrixTest.ADMIN, TestTeams.join(http, mailer, strangersOwner, TeamRoleMatrixTest.ADMIN),
                TeamRoleMatrixTest.MEMBER, TestTeams.join(http, mailer, strangersOwner, TeamRoleMatrixTest.MEMBER),
                TeamRoleMatrixTest.VIEWER, TestTeams.join(http, mailer, strangersOwner, TeamRoleMatrixTest.VIEWER));
        return cases().entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            SignedIn owner = TestUsers.register(http);
            CrossTenantCase scenario = entry.getValue();
            String id = scenario.owned().apply(owner);
            String before = snapshot(id);
            String required = TeamRoleMatrixTest.EXPECTED.get(entry.getKey());
            assertThat(required).as("the role table names this endpoint").isNotNull();

            for (String role : TeamRoleMatrixTest.ROLES) {
                SignedIn stranger = workspaceB.get(role);
                Http.Response strangers = scenario.request().send(http, stranger, id);
                Http.Response missing = scenario.request().send(http, stranger, UUID.randomUUID().toString());

                boolean allowed = TeamRoleMatrixTest.ROLES.indexOf(role) >= TeamRoleMatrixTest.ROLES.indexOf(required);
                assertThat(strangers.status()).as(role + ": " + strangers.body()).isEqualTo(allowed ? 404 : 403);
                assertThat(strangers.contentType()).startsWith("application/problem+json");
                assertThat(missing.status()).as(role).isEqualTo(strangers.status());
                assertThat(strangers.json().path("title").asString()).isEqualTo(missing.json().path("title").asString());
                assertThat(snapshot(id)).as("the owner's resource is untouched by the " + role).isEqualTo(before);
            }
        }));
    }

    private String apiKey(SignedIn owner) {
        return new Http(port).post("/api/api-keys", Map.of("name", "Owned"), owner.auth()).json().path("id").asString();
    }

    private String webhookEndpoint(SignedIn owner) {
        return new Http(port).post("/api/webhook-endpoints", Map.of("url", "http://127.0.0.1:9/owned", "events",
                List.of("call.completed")), owner.auth()).json().path("id").asString();
    }

    private String contact(SignedIn owner) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO contacts (id, user_id, name, phone_number) VALUES (?, ?, 'Owned', '+14155550999')",
                id, owner.id());
        return id.toString();
    }

    private String agent(SignedIn owner) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Owned')", id, owner.id(),
                "bolna-" + id);
        return id.toString();
    }

    private String call(SignedIn owner) {
        UUID agent = UUID.fromString(agent(owner));
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number) "
                + "VALUES (?, ?, ?, ?, '+14155550998')", id, owner.id(), agent, "exec-" + id);
        return id.toString();
    }

    /** A draft campaign of the owner with one recipient. */
    private String campaign(SignedIn owner) {
        UUID agent = UUID.fromString(agent(owner));
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO campaigns (id, user_id, agent_id, name, timezone, window_start, window_end, window_days, "
                + "max_concurrent_calls, retry_max_attempts, retry_on, retry_delay_minutes) VALUES (?, ?, ?, 'Owned', "
                + "'UTC', '09:00', '17:00', '{1,2,3,4,5}', 2, 1, '{}', 60)", id, owner.id(), agent);
        jdbc.update("INSERT INTO campaign_recipients (campaign_id, user_id, phone_number) VALUES (?, ?, '+14155550994')",
                id, owner.id());
        return id.toString();
    }

    private String callWithRecording(SignedIn owner) {
        String call = call(owner);
        jdbc.update("UPDATE calls SET recording_url = 'https://recordings.invalid/a.mp3' WHERE id = ?::uuid", call);
        return call;
    }

    /** The owner's live session (signed in at registration). */
    private String session(SignedIn owner) {
        return jdbc.queryForObject("SELECT id FROM user_sessions WHERE user_id = ? AND is_active LIMIT 1", String.class,
                owner.id());
    }

    private String callWithTranscript(SignedIn owner) {
        String call = call(owner);
        jdbc.update("INSERT INTO transcripts (call_id, user_id, content) VALUES (?::uuid, ?, 'assistant: hello')", call,
                owner.id());
        return call;
    }

    /** Everything the tenant owns with this id, as text, to prove a stranger changed nothing. */
    private String snapshot(String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            return jdbc.queryForList("SELECT * FROM calls WHERE phone_number = ? ORDER BY id", id).toString()
                    + jdbc.queryForList("SELECT * FROM do_not_call_numbers WHERE phone_number = ? ORDER BY id", id);
        }
        return Stream.of("contacts", "agents", "calls", "follow_ups", "customers", "lead_analytics", "campaigns", "user_sessions",
                        "api_keys", "webhook_endpoints", "team_invitations", "users")
                // each row as PostgreSQL writes it: array columns read through JDBC print differently from read to read
                .map(table -> jdbc.queryForList("SELECT t::text FROM " + table + " t WHERE id = ?::uuid", String.class, id)
                        .toString())
                .collect(Collectors.joining("|"))
                + jdbc.queryForList("SELECT * FROM campaign_recipients WHERE campaign_id = ?::uuid ORDER BY id", id)
                + jdbc.queryForList("SELECT t::text FROM team_members t WHERE user_id = ?::uuid", String.class, id);
    }

    private Set<String> idTakingEndpoints() {
        Set<String> endpoints = new TreeSet<>();
        handlerMapping.getHandlerMethods().forEach((info, method) -> {
            if (!isOurs(method)) {
                return;
            }
            Set<String> methods = info.getMethodsCondition().getMethods().isEmpty() ? Set.of("ANY")
                    : info.getMethodsCondition().getMethods().stream().map(Enum::name).collect(Collectors.toSet());
            for (String pattern : info.getPatternValues()) {
                if (pattern.contains("{")) {
                    methods.forEach(m -> endpoints.add(m + " " + pattern));
                }
            }
        });
        return endpoints;
    }

    private static boolean isOurs(HandlerMethod method) {
        return method.getBeanType().getPackageName().startsWith("ai.calling");
    }

    /** One request of a caller for a resource id. */
    interface Request {
        Http.Response send(Http http, SignedIn caller, String id);
    }

    /** How the owner's resource is made, and the request a stranger sends for it. */
    record CrossTenantCase(Function<SignedIn, String> owned, Request request) {
    }
}
