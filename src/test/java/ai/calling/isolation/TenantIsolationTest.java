package ai.calling.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Tenant isolation by construction: every endpoint of ours whose path takes a variable is found in
 * Spring's handler mappings, and each must either have a cross-tenant case here (tenant B asking
 * for tenant A's resource gets 404, exactly like a missing id) or be listed as not tenant-scoped,
 * with the reason. A new endpoint without either fails this suite.
 */
@IntegrationTest
class TenantIsolationTest {

    /** Endpoints that take an id but are deliberately not scoped to the caller's tenant. */
    static final Map<String, String> NOT_TENANT_SCOPED = Map.of(
            "GET /api/admin/users/{id}", "admin dashboard: admins see every account (AdminUsersTest)",
            "PUT /api/admin/users/{id}/role", "admin dashboard: super_admin only (AdminUsersTest)",
            "PATCH /api/admin/users/{id}/status", "admin dashboard: admins manage every account (AdminUsersTest)",
            "POST /api/admin/users/{id}/credits", "admin dashboard: adjustments of any account (CreditLedgerTest)",
            "GET /api/admin/users/{id}/transactions", "admin dashboard: any account's history (CreditLedgerTest)");

    /**
     * Cross-tenant cases, keyed by "METHOD /path/{pattern}". Each creates a resource as the owner and
     * answers the stranger's request for it.
     */
    static final Map<String, CrossTenantCase> CASES = Map.of(
            "GET /api/contacts/{id}", contact((http, caller, id) -> http.get("/api/contacts/" + id, caller.auth())),
            "PATCH /api/contacts/{id}", contact((http, caller, id) -> http.patch("/api/contacts/" + id,
                    Map.of("name", "Taken over"), caller.auth())),
            "DELETE /api/contacts/{id}", contact((http, caller, id) -> http.delete("/api/contacts/" + id, caller.auth())));

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Test
    void everyIdTakingEndpointHasACrossTenantCaseOrAStatedReason() {
        Set<String> endpoints = idTakingEndpoints();
        Set<String> uncovered = new TreeSet<>(endpoints);
        uncovered.removeAll(CASES.keySet());
        uncovered.removeAll(NOT_TENANT_SCOPED.keySet());

        assertThat(uncovered).as("endpoints with a path variable but no cross-tenant case").isEmpty();
        assertThat(endpoints).as("every listed case and exemption still exists")
                .containsAll(CASES.keySet()).containsAll(NOT_TENANT_SCOPED.keySet());
    }

    @TestFactory
    Stream<DynamicTest> anotherTenantsIdAnswers404LikeAMissingOne() {
        Http http = new Http(port);
        return CASES.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            SignedIn owner = TestUsers.register(http);
            SignedIn stranger = TestUsers.register(http);
            Http.Response strangers = entry.getValue().strangerRequest(http, owner, stranger);
            Http.Response missing = entry.getValue().missingRequest(http, stranger, UUID.randomUUID().toString());

            assertThat(strangers.status()).isEqualTo(404);
            assertThat(strangers.contentType()).startsWith("application/problem+json");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(strangers.json().path("title").asString()).isEqualTo(missing.json().path("title").asString());
        }));
    }

    private Set<String> idTakingEndpoints() {
        Set<String> endpoints = new TreeSet<>();
        handlerMapping.getHandlerMethods().forEach((info, method) -> {
            if (!isOurs(method)) {
                return;
            }
            Set<String> patterns = info.getPatternValues();
            Set<String> methods = info.getMethodsCondition().getMethods().isEmpty() ? Set.of("ANY")
                    : info.getMethodsCondition().getMethods().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet());
            for (String pattern : patterns) {
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

    /** A case on a contact of the owner's, created through the API. */
    static CrossTenantCase contact(Request request) {
        return new CrossTenantCase() {
            @Override
            public Http.Response strangerRequest(Http http, SignedIn owner, SignedIn stranger) {
                String id = http.post("/api/contacts", Map.of("phoneNumber", "+14155550999", "name", "Owned"),
                        owner.auth()).json().path("id").asString();
                Http.Response response = request.send(http, stranger, id);
                assertThat(http.get("/api/contacts/" + id, owner.auth()).json().path("name").asString())
                        .as("the owner's contact is untouched").isEqualTo("Owned");
                return response;
            }

            @Override
            public Http.Response missingRequest(Http http, SignedIn caller, String missingId) {
                return request.send(http, caller, missingId);
            }
        };
    }

    /** One request of a caller for a resource id. */
    interface Request {
        Http.Response send(Http http, SignedIn caller, String id);
    }

    /** One endpoint's cross-tenant scenario. */
    interface CrossTenantCase {

        /** Creates a resource as {@code owner} and sends {@code stranger}'s request for it. */
        Http.Response strangerRequest(Http http, SignedIn owner, SignedIn stranger);

        /** Sends {@code caller}'s request for an id that does not exist. */
        Http.Response missingRequest(Http http, SignedIn caller, String missingId);
    }
}
