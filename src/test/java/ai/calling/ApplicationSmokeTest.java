package ai.calling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;

/** The server starts on a migrated database and answers its operational endpoints. */
@IntegrationTest
class ApplicationSmokeTest {

    @LocalServerPort
    int port;

    @Test
    void healthIsUpAndIncludesTheDatabase() {
        Http.Response health = new Http(port).get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        assertThat(health.json().path("components").path("db").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void readinessIncludesTheDatabaseAndLivenessDoesNot() {
        Http http = new Http(port);

        Http.Response readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().path("components").path("db").path("status").asString()).isEqualTo("UP");

        Http.Response liveness = http.get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().path("components").has("db")).as(liveness.body()).isFalse();
        assertThat(liveness.json().path("components").has("livenessState")).isTrue();
    }

    @Test
    void infoTellsTheBuildAndTheCommit() {
        Http.Response info = new Http(port).get("/actuator/info");

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("build").path("artifact").asString()).isEqualTo("calling-agent-backend");
        assertThat(info.json().path("build").path("version").asString()).isNotBlank();
        assertThat(info.json().path("git").path("commit").path("id").asString()).matches("[0-9a-f]{7,40}");
        assertThat(info.json().path("java").path("version").asString()).isNotBlank();
    }

    @Test
    void prometheusMetricsAreExposed() {
        Http.Response metrics = new Http(port).get("/actuator/prometheus", Http.bearer(IntegrationTest.SCRAPE_TOKEN));

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void openApiDocumentAndSwaggerUiAreServed() {
        Http http = new Http(port);

        Http.Response apiDocs = http.get("/v3/api-docs");
        assertThat(apiDocs.status()).isEqualTo(200);
        assertThat(apiDocs.json().path("openapi").asString()).startsWith("3.");
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void unknownPathsAnswerAProblemDetail() {
        Http http = new Http(port);
        Http.Response missing = http.get("/api/does-not-exist", TestUsers.register(http).auth());

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().path("status").asInt()).isEqualTo(404);
        assertThat(missing.json().path("title").asString()).isEqualTo("Not Found");
        assertThat(missing.body()).doesNotContain("Exception").doesNotContain("at org.");
    }
}
