package ai.calling.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestTeams;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * The role of every operation, generated from the API document: each operation is tried with each
 * team role (owner, admin, member, viewer) and must answer 403 exactly when the role is below the
 * one this table names. An operation missing from the table, or a table entry without an
 * operation, fails the test: whoever adds an endpoint decides, here, who may call it.
 */
@IntegrationTest
public class TeamRoleMatrixTest {

    /** Only the platform's admins (admin, super_admin), whatever their team role: 403 for every team role here. */
    public static final String PLATFORM = "platform";
    public static final String OWNER = "owner";
    public static final String ADMIN = "admin";
    public static final String MEMBER = "member";
    /** Every role, and public endpoints (anyone). */
    public static final String VIEWER = "viewer";
    public static final List<String> ROLES = List.of(VIEWER, MEMBER, ADMIN, OWNER);

    /** The lowest team role each operation allows, kept by hand: the table this test compares with. */
    public static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            // personal: one's own account and sessions; closing and exporting are the workspace's
            Map.entry("POST /api/auth/register", VIEWER), Map.entry("POST /api/auth/login", VIEWER),
            Map.entry("POST /api/auth/refresh", VIEWER), Map.entry("POST /api/auth/logout", VIEWER),
            Map.entry("GET /api/auth/me", VIEWER), Map.entry("PATCH /api/auth/me", VIEWER),
            Map.entry("DELETE /api/auth/me", OWNER), Map.entry("GET /api/auth/me/export", OWNER),
            Map.entry("POST /api/auth/change-password", VIEWER), Map.entry("GET /api/auth/sessions", VIEWER),
            Map.entry("DELETE /api/auth/sessions/{id}", VIEWER), Map.entry("POST /api/auth/forgot-password", VIEWER),
            Map.entry("POST /api/auth/reset-password", VIEWER), Map.entry("POST /api/auth/verify-email", VIEWER),
            // the team
            Map.entry("GET /api/team/members", VIEWER), Map.entry("PATCH /api/team/members/{userId}", ADMIN),
            Map.entry("DELETE /api/team/members/{userId}", VIEWER), Map.entry("POST /api/team/transfer-ownership", OWNER),
            Map.entry("POST /api/team/invitations", ADMIN), Map.entry("GET /api/team/invitations", ADMIN),
            Map.entry("DELETE /api/team/invitations/{id}", ADMIN), Map.entry("POST /api/team/invitations/{id}/resend", ADMIN),
            Map.entry("POST /api/team/invitations/accept", VIEWER), Map.entry("GET /api/team/audit-log", ADMIN),
            // integrations: admins
            Map.entry("POST /api/api-keys", ADMIN), Map.entry("GET /api/api-keys", ADMIN),
            Map.entry("DELETE /api/api-keys/{id}", ADMIN),
            Map.entry("POST /api/webhook-endpoints", ADMIN), Map.entry("GET /api/webhook-endpoints", ADMIN),
            Map.entry("GET /api/webhook-endpoints/{id}", ADMIN), Map.entry("PATCH /api/webhook-endpoints/{id}", ADMIN),
            Map.entry("DELETE /api/webhook-endpoints/{id}", ADMIN),
            Map.entry("GET /api/webhook-endpoints/{id}/deliveries", ADMIN),
            Map.entry("POST /api/webhook-endpoints/{id}/test", ADMIN),
            Map.entry("POST /api/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver", ADMIN),
            Map.entry("POST /api/webhook-endpoints/{id}/rotate-secret", ADMIN),
            Map.entry("GET /api/events", VIEWER),
            // agents: admins change them, everyone reads them
            Map.entry("POST /api/agents", ADMIN), Map.entry("GET /api/agents", VIEWER),
            Map.entry("GET /api/agents/{id}", VIEWER), Map.entry("PATCH /api/agents/{id}", ADMIN),
            Map.entry("DELETE /api/agents/{id}", ADMIN), Map.entry("POST /api/agents/{id}/sync", ADMIN),
            Map.entry("POST /api/agents/{id}/targets", ADMIN), Map.entry("GET /api/agents/{id}/targets", VIEWER),
            Map.entry("DELETE /api/agents/{id}/targets/{targetId}", ADMIN),
            Map.entry("GET /api/openai-prompts/my-prompts", VIEWER), Map.entry("PUT /api/openai-prompts/my-prompts", ADMIN),
            Map.entry("POST /api/openai-prompts/validate", ADMIN),
            Map.entry("GET /api/openai-prompts/admin/users/{userId}/prompts", PLATFORM),
            Map.entry("PUT /api/openai-prompts/admin/users/{userId}/prompts", PLATFORM),
            // calls, contacts, campaigns, leads: members
            Map.entry("POST /api/calls", MEMBER), Map.entry("GET /api/calls", VIEWER), Map.entry("GET /api/calls/{id}", VIEWER),
            Map.entry("GET /api/calls/{id}/transcript", VIEWER), Map.entry("GET /api/calls/export", VIEWER),
            Map.entry("GET /api/calls/{id}/recording", VIEWER), Map.entry("POST /api/calls/{id}/stop", MEMBER),
            Map.entry("GET /api/transcripts/search", VIEWER),
            Map.entry("POST /api/contacts", MEMBER), Map.entry("GET /api/contacts", VIEWER),
            Map.entry("GET /api/contacts/export", VIEWER), Map.entry("POST /api/contacts/upload", MEMBER),
            Map.entry("GET /api/contacts/{id}", VIEWER), Map.entry("PATCH /api/contacts/{id}", MEMBER),
            Map.entry("DELETE /api/contacts/{id}", MEMBER),
            Map.entry("POST /api/campaigns", MEMBER), Map.entry("GET /api/campaigns", VIEWER),
            Map.entry("GET /api/campaigns/{id}", VIEWER), Map.entry("PATCH /api/campaigns/{id}", MEMBER),
            Map.entry("DELETE /api/campaigns/{id}", MEMBER), Map.entry("POST /api/campaigns/{id}/start", MEMBER),
            Map.entry("POST /api/campaigns/{id}/pause", MEMBER), Map.entry("POST /api/campaigns/{id}/resume", MEMBER),
            Map.entry("POST /api/campaigns/{id}/cancel", MEMBER), Map.entry("POST /api/campaigns/{id}/recipients", MEMBER),
            Map.entry("POST /api/campaigns/{id}/recipients/upload", MEMBER),
            Map.entry("GET /api/campaigns/{id}/recipients", VIEWER),
            Map.entry("GET /api/campaigns/{id}/recipients/export", VIEWER),
            Map.entry("POST /api/do-not-call", MEMBER), Map.entry("GET /api/do-not-call", VIEWER),
            Map.entry("DELETE /api/do-not-call/{phoneNumber}", MEMBER),
            Map.entry("GET /api/leads", VIEWER), Map.entry("GET /api/leads/{phone}", VIEWER),
            Map.entry("POST /api/calls/{id}/analysis/retry", MEMBER),
            Map.entry("POST /api/follow-ups", MEMBER), Map.entry("GET /api/follow-ups", VIEWER),
            Map.entry("PATCH /api/follow-ups/{id}", MEMBER), Map.entry("DELETE /api/follow-ups/{id}", MEMBER),
            Map.entry("POST /api/customers", MEMBER), Map.entry("GET /api/customers", VIEWER),
            Map.entry("GET /api/customers/{id}", VIEWER), Map.entry("PATCH /api/customers/{id}", MEMBER),
            Map.entry("GET /api/notifications", VIEWER), Map.entry("POST /api/notifications/{id}/read", MEMBER),
            Map.entry("POST /api/notifications/read-all", MEMBER),
            // billing: the owner buys, everyone sees the balance
            Map.entry("GET /api/credits/balance", VIEWER), Map.entry("GET /api/credits/transactions", VIEWER),
            Map.entry("GET /api/credits/transactions/export", VIEWER), Map.entry("GET /api/billing/packages", VIEWER),
            Map.entry("POST /api/billing/checkout", OWNER),
            // providers' callbacks: public
            Map.entry("POST /api/webhooks/stripe", VIEWER), Map.entry("POST /api/webhooks/bolna", VIEWER),
            // dashboards: everyone reads
            Map.entry("GET /api/analytics/campaigns/{id}", VIEWER),
            Map.entry("GET /api/analytics/agents/{id}/trends", VIEWER),
            Map.entry("GET /api/analytics/agents/{id}/outcomes", VIEWER), Map.entry("GET /api/dashboard/overview", VIEWER),
            Map.entry("GET /api/analytics/calls", VIEWER), Map.entry("GET /api/analytics/agents", VIEWER),
            Map.entry("GET /api/analytics/leads", VIEWER), Map.entry("GET /api/analytics/sources", VIEWER)));

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");

    @LocalServerPort
    int port;

    @Autowired
    LoggingMailer mailer;

    @Test
    void everyOperationAnswers403ExactlyToTheRolesBelowTheOneItsTableEntryNames() throws Exception {
        Http http = new Http(port);
        JsonNode document = http.get("/v3/api-docs").json();
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                operations.put(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
            }
        }));
        List<String> admin = operations.keySet().stream().filter(op -> op.contains(" /api/admin/")).toList();
        TreeSet<String> unlisted = new TreeSet<>(operations.keySet());
        unlisted.removeAll(admin);
        unlisted.removeAll(EXPECTED.keySet());
        assertThat(unlisted).as("operations without a role in this table").isEmpty();
        assertThat(operations.keySet()).as("table entries without an operation").containsAll(EXPECTED.keySet());

        SignedIn owner = TestUsers.register(http);
        Map<String, SignedIn> signedIn = Map.of(OWNER, owner, ADMIN, TestTeams.join(http, mailer, owner, ADMIN),
                MEMBER, TestTeams.join(http, mailer, owner, MEMBER), VIEWER, TestTeams.join(http, mailer, owner, VIEWER));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> wrong = new ArrayList<>();
        for (String role : ROLES) {
            for (var operation : operations.entrySet()) {
                String required = admin.contains(operation.getKey()) ? PLATFORM : EXPECTED.get(operation.getKey());
                SignedIn caller = operation.getKey().equals("POST /api/auth/logout")
                        ? TestUsers.login(http, signedIn.get(role).email()) : signedIn.get(role);
                int status = send(client, operation.getKey(), operation.getValue(), caller);
                boolean refused = status == 403;
                boolean shouldRefuse = PLATFORM.equals(required) || ROLES.indexOf(role) < ROLES.indexOf(required);
                if (refused != shouldRefuse) {
                    wrong.add(role + " " + operation.getKey() + " answered " + status + ", table says " + required);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** The operation with a random id in each path variable and an empty body of its media type. */
    private int send(HttpClient client, String operation, JsonNode spec, SignedIn caller) throws Exception {
        String method = operation.substring(0, operation.indexOf(' '));
        Matcher variables = PATH_VARIABLE.matcher(operation.substring(operation.indexOf(' ') + 1));
        StringBuilder path = new StringBuilder();
        while (variables.find()) {
            variables.appendReplacement(path, variables.group(1).toLowerCase().contains("phone") ? "+14155550123"
                    : UUID.randomUUID().toString());
        }
        variables.appendTail(path);
        String contentType = "application/json";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        if (spec.path("requestBody").path("content").has("multipart/form-data")) {
            contentType = "multipart/form-data; boundary=matrix";
            body = ("--matrix\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\nphone_number\r\n--matrix--\r\n").getBytes(StandardCharsets.UTF_8);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + caller.accessToken());
        if (List.of("POST", "PUT", "PATCH").contains(method)) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        // the status only: a live event stream answers at once and then stays open
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }
}
