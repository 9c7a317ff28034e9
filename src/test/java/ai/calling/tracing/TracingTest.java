package ai.calling.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import ai.calling.bolna.BolnaClient;
import ai.calling.bolna.CallRequest;
import ai.calling.support.Http;
import ai.calling.support.StartedApplication;
import ai.calling.support.TestUsers;

/**
 * Tracing with OTEL_EXPORTER_OTLP_ENDPOINT set: the calls to Bolna, OpenAI and Stripe are spans of
 * the request that caused them, exported over OTLP/HTTP to the collector (one WireMock plays the
 * three providers and the collector), and log lines carry the trace and span ids.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingTest {

    /** A W3C trace context as a caller's gateway would send it. */
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    static final WireMockServer WIRE = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static StartedApplication application;
    static Http http;

    @BeforeAll
    static void start() {
        WIRE.start();
        WIRE.stubFor(post(urlPathEqualTo("/v1/traces")).willReturn(aResponse().withStatus(200)));
        application = StartedApplication.start("--OTEL_EXPORTER_OTLP_ENDPOINT=" + WIRE.baseUrl(),
                "--management.tracing.sampling.probability=1.0",
                "--management.opentelemetry.tracing.export.schedule-delay=100ms",
                "--app.bolna.api-key=bn-test", "--app.bolna.base-url=" + WIRE.baseUrl(),
                "--app.openai.api-key=sk-test", "--app.openai.base-url=" + WIRE.baseUrl() + "/v1",
                "--app.stripe.secret-key=sk_test_fake", "--app.stripe.api-base=" + WIRE.baseUrl());
        http = application.http();
    }

    @AfterAll
    static void stop() {
        if (application != null) {
            application.close();
        }
        WIRE.stop();
    }

    @Test
    void providerCallsAreSpansOfTheCallersTraceExportedOverOtlp() {
        WIRE.stubFor(post(urlPathEqualTo("/v2/agent")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"agent_id\":\"ag-traced\",\"status\":\"created\"}")));
        WIRE.stubFor(post(urlPathEqualTo("/v1/responses")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"unknown prompt\",\"type\":\"invalid_request_error\"}}")));
        WIRE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"cs_test_traced","object":"checkout.session","url":"https://checkout.example/cs_test_traced"}""")));
        var user = TestUsers.register(http);

        assertThat(http.post("/api/agents", Map.of("name", "Traced", "agentType", "call", "welcomeMessage", "Hi",
                "systemPrompt", "Be brief."), user.auth()).status()).isEqualTo(201);
        assertThat(http.post("/api/openai-prompts/validate", Map.of("promptId", "pmpt_traced"), user.auth()).status())
                .isEqualTo(200);
        assertThat(http.post("/api/billing/checkout", Map.of("packageId", "starter"),
                withTraceparent(user.auth())).status()).isEqualTo(201);

        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(exported())
                .contains("/v2/agent", "openai responses.create", "stripe checkout.sessions.create"));
        assertThat(exportedBytes()).as("the Stripe span belongs to the caller's trace")
                .containsSubsequence(HexFormat.of().parseHex(TRACE_ID));
    }

    @Test
    void aBolnaRequestOfARequestCarriesItsTraceAndOneOfBackgroundWorkIsNotObserved() {
        WIRE.stubFor(post(urlPathEqualTo("/v2/agent")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"agent_id\":\"ag-context\",\"status\":\"created\"}")));
        WIRE.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"execution_id\":\"exec-background\"}")));
        MeterRegistry meters = application.context().getBean(MeterRegistry.class);
        long agentRequestsBefore = clientRequests(meters, "/v2/agent");
        var user = TestUsers.register(http);
        assertThat(http.post("/api/agents", Map.of("name", "In context", "agentType", "call", "welcomeMessage", "Hi",
                "systemPrompt", "Be brief."), withTraceparent(user.auth())).status()).isEqualTo(201);

        // as the campaign dispatcher dials: on a thread of its own, with no observation in progress
        BolnaClient bolna = application.context().getBean(BolnaClient.class);
        assertThat(bolna.placeCall(new CallRequest("ag-context", "+14155550100", null, Map.of(), UUID.randomUUID()))
                .executionId()).isEqualTo("exec-background");

        LoggedRequest created = WIRE.findAll(postRequestedFor(urlPathEqualTo("/v2/agent"))).getLast();
        assertThat(created.getHeader("traceparent")).as("a span of the caller's trace").contains(TRACE_ID);
        LoggedRequest dialled = WIRE.findAll(postRequestedFor(urlPathEqualTo("/call"))).getLast();
        assertThat(dialled.containsHeader("traceparent")).isFalse();
        assertThat(clientRequests(meters, "/v2/agent")).isEqualTo(agentRequestsBefore + 1);
        assertThat(clientRequests(meters, "/call")).isZero();
        assertThat(meters.find("bolna.requests").tag("endpoint", "make_call").timer()).as("timed all the same")
                .isNotNull();
    }

    @Test
    void logLinesCarryTheTraceAndSpanIds(CapturedOutput output) {
        WIRE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"refused for the log test\"}}")));
        var user = TestUsers.register(http);

        assertThat(http.post("/api/billing/checkout", Map.of("packageId", "starter"), withTraceparent(user.auth()))
                .status()).isEqualTo(502);

        assertThat(output.getOut().lines().filter(line -> line.contains("refused for the log test")))
                .singleElement().asString().containsPattern("\\[" + TRACE_ID + "-[0-9a-f]{16}\\]");
    }

    private static String[] withTraceparent(String[] auth) {
        return new String[] { auth[0], auth[1], "traceparent", TRACEPARENT };
    }

    private static long clientRequests(MeterRegistry meters, String uri) {
        return meters.find("http.client.requests").tag("uri", uri).timers().stream().mapToLong(timer -> timer.count())
                .sum();
    }

    private static String exported() {
        return new String(exportedBytes(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] exportedBytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (LoggedRequest request : WIRE.findAll(postRequestedFor(urlPathEqualTo("/v1/traces")))) {
            all.writeBytes(request.getBody());
        }
        return all.toByteArray();
    }
}
