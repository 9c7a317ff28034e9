package ai.calling.bolna;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

import ai.calling.bolna.internal.BolnaAgentPayload;
import ai.calling.bolna.internal.BolnaDrift;
import ai.calling.common.ApiException;
import ai.calling.config.BolnaProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bolna.ai's API, the one place that speaks its wire format: typed requests in ({@link AgentSpec},
 * {@link AgentPatch}, {@link CallRequest}), typed answers out ({@link BolnaExecution}). Bearer key, timeouts, metrics per endpoint ({@code bolna.requests}), retries with
 * backoff only for idempotent requests on 5xx and timeouts. {@code POST /call} is never retried: a
 * timeout after Bolna accepted it would ring the customer twice; a lost answer is reported as an
 * unconfirmed dial instead. Bolna's errors become 502 problem details with a readable detail;
 * without {@code BOLNA_API_KEY} every call answers 503.
 */
@Component
public class BolnaClient implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BolnaClient.class);

    private final BolnaProperties properties;
    private final CloseableHttpClient http;
    private final RestClient rest;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final RetryTemplate retries;

    @Autowired
    BolnaClient(BolnaProperties properties, JsonMapper json, MeterRegistry meters,
            ObservationRegistry observations) {
        this(properties, json, meters, observations, Math.max(64, 2 * properties.maxConcurrentCalls()),
                Duration.ofSeconds(5));
    }

    /** With a pool of {@code connections} and a wait for one (and to connect) of at most {@code connectionWait}. */
    BolnaClient(BolnaProperties properties, JsonMapper json, MeterRegistry meters, ObservationRegistry observations,
            int connections, Duration connectionWait) {
        this.properties = properties;
        this.json = json;
        this.meters = meters;
        this.http = httpClient(properties, connections, Timeout.of(connectionWait));
        this.rest = RestClient.builder().baseUrl(properties.baseUrl().toString())
                .requestFactory(new HttpComponentsClientHttpRequestFactory(http))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + (properties.apiKey() == null ? "" : properties.apiKey()))
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                // a request made inside observed work (serving a request) is an http.client.requests
                // observation, a span of the caller's trace (ClientObservationConfiguration)
                .observationRegistry(observations)
                .build();
        this.retries = new RetryTemplate(RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(200)).multiplier(2)
                .maxDelay(Duration.ofSeconds(2))
                .predicate(e -> e instanceof HttpServerErrorException || e instanceof ResourceAccessException)
                .build());
    }

    /**
     * A blocking client with a pool of kept-alive connections (decision 0056), cheaper per dial than the
     * JDK's asynchronous client. Nothing is retried by the client itself (above all not {@code POST /call}:
     * its default strategy would resend a request answered 429 or 503). A connection idle for a second is
     * checked before reuse and one idle for 30 s is dropped, so that few requests go to a connection
     * Bolna or a load balancer has closed meanwhile (such a dial is unconfirmed, never resent). Enough
     * connections for every call slot and then some (the API's single dials, agents, reconciliation): a
     * request waits for one at most {@code wait}; one that waited in vain was never sent.
     */
    private static CloseableHttpClient httpClient(BolnaProperties properties, int connections, Timeout wait) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(wait)
                                .setSocketTimeout(Timeout.of(properties.readTimeout()))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .setIdleTimeout(Timeout.ofSeconds(30)).setTimeToLive(TimeValue.ofMinutes(5)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(wait)
                        .setResponseTimeout(Timeout.of(properties.readTimeout())).setRedirectsEnabled(false).build())
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                .build();
    }

    @Override
    public void destroy() {
        http.close(CloseMode.GRACEFUL);
    }

    /** Creates an agent (v2); returns Bolna's agent id. */
    public String createAgent(AgentSpec spec) {
        JsonNode created = call("create_agent", false, () -> rest.post().uri("/v2/agent")
                .contentType(MediaType.APPLICATION_JSON).body(BolnaAgentPayload.create(spec)).retrieve()
                .body(JsonNode.class));
        String id = created == null ? "" : created.path("agent_id").asString("");
        if (id.isBlank()) {
            throw bad("Bolna created no agent id");
        }
        return id;
    }

    /** Changes the fields given (Bolna's PATCH); nothing when the patch is empty. */
    public void patchAgent(String agentId, AgentPatch patch) {
        if (patch.isEmpty()) {
            return;
        }
        call("patch_agent", true, () -> rest.patch().uri("/v2/agent/{id}", agentId).contentType(MediaType.APPLICATION_JSON)
                .body(BolnaAgentPayload.patch(patch)).retrieve().toBodilessEntity());
    }

    /** Replaces the agent's whole configuration (Bolna drops whatever the body leaves out). */
    public void putAgent(String agentId, AgentSpec spec) {
        call("put_agent", true, () -> rest.put().uri("/v2/agent/{id}", agentId).contentType(MediaType.APPLICATION_JSON)
                .body(BolnaAgentPayload.create(spec)).retrieve().toBodilessEntity());
    }

    /** Deletes the agent; one that Bolna no longer knows counts as deleted. */
    public void deleteAgent(String agentId) {
        try {
            call("delete_agent", true, () -> rest.delete().uri("/v2/agent/{id}", agentId).retrieve().toBodilessEntity());
        } catch (BolnaNotFound gone) {
            log.info("Bolna agent {} was already gone", agentId);
        }
    }

    /**
     * Re-reads the agent and compares every field we send it ({@code expected} as at its creation:
     * name, greeting, webhook URL, prompt, LLM, voice, transcriber and task settings) with what Bolna
     * has; a field Bolna does not return is not counted. What drifted is pushed back: by PATCH when
     * PATCH can carry all of it, otherwise by a PUT of the whole configuration. Returns the drifted
     * paths.
     */
    public List<String> syncAgent(String agentId, AgentSpec expected) {
        JsonNode wanted = json.valueToTree(BolnaAgentPayload.create(expected));
        JsonNode remote = call("get_agent", true, () -> rest.get().uri("/v2/agent/{id}", agentId).retrieve()
                .body(JsonNode.class));
        JsonNode config = remote.has("agent_config") ? remote.path("agent_config") : remote;
        JsonNode prompts = remote.has("agent_prompts") ? remote.path("agent_prompts") : config.path("agent_prompts");
        List<String> drifted = new ArrayList<>();
        BolnaDrift.compare(wanted.path("agent_config"), config, "", drifted);
        BolnaDrift.compare(wanted.path("agent_prompts"), prompts, "agent_prompts", drifted);
        if (!drifted.isEmpty()) {
            if (BolnaDrift.patchable(drifted)) {
                call("patch_agent", true, () -> rest.patch().uri("/v2/agent/{id}", agentId)
                        .contentType(MediaType.APPLICATION_JSON).body(BolnaDrift.patch(expected, drifted)).retrieve()
                        .toBodilessEntity());
            } else {
                putAgent(agentId, expected);
            }
        }
        return drifted;
    }

    /**
     * Places a call, never retried. Returns Bolna's execution id, or an unconfirmed dial when the
     * request may have reached Bolna but its answer was lost (a timeout or reset after sending, a 5xx,
     * an answer without an execution id): the customer may be ringing, so only a webhook or
     * reconciliation can tell. Throws when Bolna certainly did not place it: a 4xx (429 as 429; a refusal of
     * this dial itself, such as a number it cannot call, as {@link DialRefused}; one of our credentials,
     * account or agent, 401, 402, 403 or 404, as any other failure), no connection, or no API key.
     */
    public Dial placeCall(CallRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", request.bolnaAgentId());
        body.put("recipient_phone_number", request.to());
        if (request.from() != null) {
            body.put("from_phone_number", request.from());
        }
        Map<String, Object> userData = new LinkedHashMap<>(request.userData() == null ? Map.of() : request.userData());
        userData.put(BolnaExecution.ATTEMPT_ID, request.attemptId().toString());
        body.put("user_data", userData);
        if (!properties.apiConfigured()) {
            throw ApiException.unavailable("Voice calling is not configured on this server (BOLNA_API_KEY is unset)");
        }
        Timer.Sample sample = Timer.start(meters);
        String outcome = "success";
        try {
            JsonNode queued = rest.post().uri("/call").contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                    .body(JsonNode.class);
            String id = queued == null ? "" : queued.path("execution_id").asString("");
            if (id.isBlank()) {
                outcome = "unconfirmed";
                return Dial.unconfirmed("Bolna accepted the call without an execution id");
            }
            return Dial.placed(id);
        } catch (HttpClientErrorException.TooManyRequests e) {
            outcome = "error";
            log.warn("Bolna make_call answered 429");
            throw ApiException.tooManyRequests("Bolna is at its limit of calls; try again in a moment",
                    retryAfter(e.getResponseHeaders()));
        } catch (HttpClientErrorException e) {
            outcome = "error";
            if (ACCOUNT_REFUSALS.contains(e.getStatusCode().value())) {
                throw translate("make_call", e);
            }
            String message = bolnaMessage(e.getResponseBodyAsString());
            log.warn("Bolna make_call answered {}: {}", e.getStatusCode().value(), message);
            throw new DialRefused("Bolna refused the request: " + message);
        } catch (RestClientException e) {
            if (e.contains(ConnectionRequestTimeoutException.class)) {
                // our own back-pressure, not Bolna's answer: as a 429, the dispatcher puts the recipient back
                outcome = "error";
                log.warn("No connection to Bolna came free in time; the dial was not sent");
                throw ApiException.tooManyRequests("Too many calls are being placed at once; try again in a moment", 1);
            }
            if (neverSent(e)) {
                outcome = "error";
                throw translate("make_call", e);
            }
            outcome = "unconfirmed";
            log.warn("Bolna make_call's answer was lost ({}); the dial is unconfirmed", e.getMessage());
            return Dial.unconfirmed(e instanceof HttpServerErrorException server
                    ? "Bolna answered " + server.getStatusCode().value() : "Bolna did not answer in time");
        } finally {
            sample.stop(meters.timer("bolna.requests", "endpoint", "make_call", "outcome", outcome));
        }
    }

    /** Whether the request certainly never reached Bolna (no connection could be made). */
    private static boolean neverSent(RestClientException e) {
        return e.contains(ConnectException.class) || e.contains(UnknownHostException.class)
                || e.contains(NoRouteToHostException.class) || e.contains(ConnectTimeoutException.class);
    }

    private static long retryAfter(HttpHeaders headers) {
        String value = headers == null ? null : headers.getFirst(HttpHeaders.RETRY_AFTER);
        try {
            return value == null ? 5 : Math.clamp(Long.parseLong(value.trim()), 1, 300);
        } catch (NumberFormatException notSeconds) {
            return 5;
        }
    }

    /** Bolna's answer to POST /call: its execution id, or why the dial is unconfirmed. */
    public record Dial(String executionId, String unconfirmedBecause) {

        static Dial placed(String executionId) {
            return new Dial(executionId, null);
        }

        static Dial unconfirmed(String because) {
            return new Dial(null, because);
        }

        public boolean placed() {
            return executionId != null;
        }
    }

    /** The largest page of an agent's executions Bolna gives. */
    static final int EXECUTIONS_PAGE_SIZE = 50;

    /** One page (1-based, up to 50) of an agent's executions, newest first as Bolna lists them. */
    public ExecutionPage agentExecutions(String agentId, int page) {
        JsonNode found = call("agent_executions", true, () -> rest.get()
                .uri("/v2/agent/{id}/executions?page_number={page}&page_size={size}", agentId, page,
                        EXECUTIONS_PAGE_SIZE).retrieve()
                .body(JsonNode.class));
        List<BolnaExecution> executions = new ArrayList<>();
        for (JsonNode execution : found.path("data")) {
            if (BolnaExecution.id(execution).isPresent()) {
                executions.add(BolnaExecution.of(execution));
            }
        }
        return new ExecutionPage(executions, hasMore(found, page, found.path("data").size()));
    }

    /**
     * Whether more pages follow: {@code has_more} when Bolna sends it, else what {@code total} says, else
     * whether this page was full. Read as "no more" when missing, a page of 50 that was not the last made
     * reconciliation conclude it had seen every execution, and fail as never placed a dial Bolna did place.
     */
    static boolean hasMore(JsonNode found, int page, int listed) {
        JsonNode hasMore = found.path("has_more");
        if (hasMore.isBoolean()) {
            return hasMore.asBoolean();
        }
        if (found.path("total").isNumber()) {
            return (long) page * EXECUTIONS_PAGE_SIZE < found.path("total").asLong();
        }
        return listed >= EXECUTIONS_PAGE_SIZE;
    }

    /** A page of an agent's executions, and whether there are more. */
    public record ExecutionPage(List<BolnaExecution> executions, boolean hasMore) {
    }

    /** Asks Bolna to stop a call it has queued or scheduled (it cannot stop one in progress). */
    public void stopCall(String executionId) {
        call("stop_call", false, () -> rest.post().uri("/call/{id}/stop", executionId).retrieve().toBodilessEntity());
    }

    /** An execution as {@code GET /executions/{id}} returns it: as JSON (to store) and read. */
    public Fetched fetchExecution(String executionId) {
        String body = call("get_execution", true, () -> rest.get().uri("/executions/{id}", executionId).retrieve()
                .body(String.class));
        try {
            return new Fetched(body, BolnaExecution.parse(body));
        } catch (IllegalArgumentException notAnExecution) {
            throw bad("Bolna answered something that is not an execution");
        }
    }

    /** A fetched execution: its JSON and its reading. */
    public record Fetched(String json, BolnaExecution execution) {
    }

    private <T> T call(String endpoint, boolean idempotent, Supplier<T> request) {
        if (!properties.apiConfigured()) {
            throw ApiException.unavailable("Voice calling is not configured on this server (BOLNA_API_KEY is unset)");
        }
        Timer.Sample sample = Timer.start(meters);
        String outcome = "success";
        try {
            return idempotent ? retries.execute(request::get) : request.get();
        } catch (RetryException e) {
            outcome = "error";
            throw translate(endpoint, e.getLastException());
        } catch (RuntimeException e) {
            outcome = "error";
            throw translate(endpoint, e);
        } finally {
            sample.stop(meters.timer("bolna.requests", "endpoint", endpoint, "outcome", outcome));
        }
    }

    private RuntimeException translate(String endpoint, Throwable e) {
        if (e instanceof HttpClientErrorException.NotFound) {
            return new BolnaNotFound();
        }
        if (e instanceof RestClientResponseException response) {
            String message = bolnaMessage(response.getResponseBodyAsString());
            log.warn("Bolna {} answered {}: {}", endpoint, response.getStatusCode().value(), message);
            return response.getStatusCode().is4xxClientError()
                    ? bad("Bolna refused the request: " + message)
                    : bad("Bolna failed (" + response.getStatusCode().value() + "); try again in a moment");
        }
        if (e instanceof ResourceAccessException) {
            log.warn("Bolna {} did not answer in time: {}", endpoint, e.getMessage());
            return bad("Bolna did not answer in time; try again in a moment");
        }
        if (e instanceof ApiException api) {
            return api;
        }
        log.warn("Bolna {} failed", endpoint, e);
        return bad("Bolna could not be reached");
    }

    private String bolnaMessage(String body) {
        try {
            JsonNode error = json.readTree(body);
            String message = error.path("message").asString("");
            if (message.isBlank()) {
                message = error.path("detail").asString("");
            }
            return message.isBlank() ? "no detail given" : message;
        } catch (RuntimeException notJson) {
            return "no detail given";
        }
    }

    private static ApiException bad(String detail) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "Bad Gateway", detail);
    }

    /**
     * Answers of {@code POST /call} about our account, key or agent rather than the dial (unauthorised, out
     * of balance, forbidden, the agent gone), or passing (a timeout, a conflict, too early): every dial would
     * get the same for now, so none of them is at fault.
     */
    private static final Set<Integer> ACCOUNT_REFUSALS = Set.of(401, 402, 403, 404, 408, 409, 425);

    /**
     * Bolna refused this dial itself (a 4xx about the request: a number it cannot call, say): another dial
     * of the same agent may be taken. Answered 502, as any failure of Bolna's.
     */
    public static final class DialRefused extends ApiException {
        DialRefused(String detail) {
            super(HttpStatus.BAD_GATEWAY, "Bad Gateway", detail);
        }
    }

    /** Bolna answered 404 for the resource. */
    public static final class BolnaNotFound extends ApiException {
        BolnaNotFound() {
            super(HttpStatus.BAD_GATEWAY, "Bad Gateway", "Bolna does not know this resource");
        }
    }
}
