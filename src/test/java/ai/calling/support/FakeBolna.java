package ai.calling.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Bolna fake built from Bolna's API reference (docs/bolna-webhooks.md), for tests that need calls to happen: agents are created,
 * {@code POST /call} answers at once with an execution id and then plays the call's lifecycle back
 * as webhooks to our endpoint ({@code ringing}, then the scripted end after {@link #callLength}),
 * {@code POST /call/{id}/stop} stops a call that has not started ringing, and
 * {@code GET /executions/{id}} and an agent's execution list answer what was played. It counts the
 * calls in progress per agent and keeps the most it ever saw, so a test can prove a cap held at every
 * instant. Above {@link #accountConcurrency} calls in progress it answers 429, as Bolna does.
 */
public final class FakeBolna implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    /** Pooled and blocking: the JDK's asynchronous client cost the benchmarks' JVM more than the server's sends. */
    private final CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(1000)
                    .setMaxConnPerRoute(1000).setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(5)).setSocketTimeout(Timeout.ofSeconds(30))
                            .setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                    .build())
            .disableAutomaticRetries().build();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
    /**
     * Webhooks are sent from here, not on the timers: each send waits for our acknowledgement, and four
     * timer threads sending in turn held every call's ringing and end back behind the others' (a 200 ms
     * call ended 700 ms after it was placed at 180 dials a second). Bolna's senders do not queue so.
     */
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger inFlightTotal = new AtomicInteger();
    private final AtomicInteger maxInFlightTotal = new AtomicInteger();
    private final List<JsonNode> dials = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile List<String> webhookUrls = List.of();
    private volatile Duration callLength = Duration.ofMillis(50);
    private volatile Duration ringAfter = Duration.ofMillis(5);
    private volatile int accountConcurrency = Integer.MAX_VALUE;
    private volatile BiFunction<String, Integer, String> script = (number, attempt) -> "completed:30";
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger callRequests = new AtomicInteger();
    private volatile int holdAfter = Integer.MAX_VALUE;
    private volatile int holdPlaced;
    private volatile int holdNotPlaced;
    private final List<Held> held = new CopyOnWriteArrayList<>();
    private volatile boolean holdThrottled;
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();

    public FakeBolna() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the lifecycle webhooks go (our {@code /api/webhooks/bolna?token=...}). */
    public FakeBolna webhookUrl(String url) {
        return webhookUrls(url);
    }

    /**
     * Every lifecycle webhook goes to each of these URLs in turn, as a Bolna that retries a delivery
     * through a load balancer reaches several app instances with the same event.
     */
    public FakeBolna webhookUrls(String... urls) {
        this.webhookUrls = List.of(urls);
        return this;
    }

    /** How long a call lasts at the fake between {@code ringing} and its end. */
    public FakeBolna callLength(Duration length) {
        this.callLength = length;
        return this;
    }

    /** How long a call stays queued (stoppable) before it rings. */
    public FakeBolna ringAfter(Duration delay) {
        this.ringAfter = delay;
        return this;
    }

    /** Bolna's account concurrency: above it, {@code POST /call} answers 429. */
    public FakeBolna accountConcurrency(int calls) {
        this.accountConcurrency = calls;
        return this;
    }

    /**
     * Requests to {@code POST /call} that never get their answer, for a test that kills the instance which
     * sent them: after the first {@code after} requests (answered as usual), the next {@code placed} are
     * placed (Bolna took them: counted, their executions exist and are listed) but neither answered nor
     * started, and the {@code notPlaced} after those are held and never placed (as a request that died
     * with the instance sending it). Later requests are answered as usual. Released by
     * {@link #releasePlaced} and {@link #dropNotPlaced}.
     */
    public FakeBolna holdCalls(int after, int placed, int notPlaced) {
        this.holdPlaced = placed;
        this.holdNotPlaced = notPlaced;
        this.holdAfter = after;
        return this;
    }

    /**
     * Answers of 429 are held until {@link #dropNotPlaced} or {@link #reset} (listed by {@link #heldNumbers}
     * as not placed): what a campaign does meanwhile happens while the dial is in flight and refused.
     */
    public FakeBolna holdThrottled() {
        this.holdThrottled = true;
        return this;
    }

    /**
     * {@code POST /call} to this number ({@code *}: to any) answers {@code status} with an error, placing
     * nothing: 400 as a number Bolna cannot call, 401 or 402 as our key or account refused, and so on.
     */
    public FakeBolna refuseCalls(String number, int status) {
        refusals.put(number, status);
        return this;
    }

    /** Requests held now (placed or not). */
    public int heldCalls() {
        return (int) held.stream().filter(h -> !h.released).count();
    }

    /** The numbers of the held requests: those placed, or those not placed. */
    public List<String> heldNumbers(boolean placed) {
        return held.stream().filter(h -> h.placed == placed).map(h -> h.number).toList();
    }

    /**
     * Up to {@code count} held placed calls are answered (to whoever still listens) and start: they ring
     * and end as scripted, their webhooks going to the webhook URLs of that moment. Returns their numbers.
     */
    public List<String> releasePlaced(int count) {
        List<String> numbers = new ArrayList<>();
        for (Held h : held) {
            if (h.placed && !h.released && numbers.size() < count) {
                h.released = true;
                numbers.add(h.number);
                h.release.countDown();
            }
        }
        return numbers;
    }

    /** The held requests that were not placed are dropped: nothing was placed for them, and nothing will be. */
    public void dropNotPlaced() {
        held.stream().filter(h -> !h.placed && !h.released).forEach(h -> {
            h.released = true;
            h.release.countDown();
        });
    }

    /** The status Bolna reports for each call placed to this number so far (queued, ringing, completed, ...). */
    public List<String> statuses(String number) {
        return executions.values().stream().filter(execution -> execution.number.equals(number))
                .map(execution -> execution.status == null ? "queued" : execution.status).toList();
    }

    /**
     * How each call ends, by number and attempt (1, 2, ...): {@code completed:<seconds>}, {@code busy},
     * {@code no-answer}, {@code failed}, or {@code voicemail:<seconds>}.
     */
    public FakeBolna script(BiFunction<String, Integer, String> script) {
        this.script = script;
        return this;
    }

    public void reset() {
        executions.clear();
        inFlight.clear();
        maxInFlight.clear();
        dials.clear();
        attempts.clear();
        inFlightTotal.set(0);
        maxInFlightTotal.set(0);
        throttled.set(0);
        callRequests.set(0);
        holdAfter = Integer.MAX_VALUE;
        holdThrottled = false;
        refusals.clear();
        held.forEach(h -> h.release.countDown());
        held.clear();
        callLength = Duration.ofMillis(50);
        ringAfter = Duration.ofMillis(5);
        accountConcurrency = Integer.MAX_VALUE;
        script = (number, attempt) -> "completed:30";
    }

    /** Every POST /call body Bolna took, in order. */
    public List<JsonNode> dials() {
        return List.copyOf(dials);
    }

    public int maxInFlight(String bolnaAgentId) {
        return maxInFlight.getOrDefault(bolnaAgentId, new AtomicInteger()).get();
    }

    public int maxInFlightTotal() {
        return maxInFlightTotal.get();
    }

    public int inFlightTotal() {
        return inFlightTotal.get();
    }

    public int throttled() {
        return throttled.get();
    }

    /** How many calls to each number Bolna took. */
    public int attemptsTo(String number) {
        return attempts.getOrDefault(number, new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            JsonNode body = read(exchange.getRequestBody());
            if (method.equals("POST") && path.equals("/v2/agent")) {
                respond(exchange, 200, Map.of("agent_id", "bolna-" + UUID.randomUUID(), "status", "created"));
            } else if (method.equals("POST") && path.equals("/call")) {
                placeCall(exchange, body);
            } else if (method.equals("POST") && path.matches("/call/[^/]+/stop")) {
                stop(exchange, path.split("/")[2]);
            } else if (method.equals("GET") && path.startsWith("/executions/")) {
                Execution execution = executions.get(path.substring("/executions/".length()));
                respond(exchange, execution == null ? 404 : 200, execution == null
                        ? Map.of("message", "no such execution") : execution.payload());
            } else if (method.equals("GET") && path.matches("/v2/agent/[^/]+/executions")) {
                String agent = path.split("/")[3];
                List<Map<String, Object>> data = executions.values().stream()
                        .filter(execution -> execution.agentId.equals(agent)).map(Execution::payload).toList();
                respond(exchange, 200, Map.of("page_number", 1, "page_size", 50, "total", data.size(), "has_more", false,
                        "data", data));
            } else if (path.startsWith("/v2/agent/")) {
                respond(exchange, 200, Map.of("message", "success", "state", "updated"));
            } else {
                respond(exchange, 404, Map.of("message", "not found"));
            }
        }
    }

    private synchronized boolean admit(String agent) {
        if (inFlightTotal.get() >= accountConcurrency) {
            return false;
        }
        int total = inFlightTotal.incrementAndGet();
        maxInFlightTotal.accumulateAndGet(total, Math::max);
        int forAgent = inFlight.computeIfAbsent(agent, key -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(agent, key -> new AtomicInteger()).accumulateAndGet(forAgent, Math::max);
        return true;
    }

    private synchronized void ended(String agent) {
        inFlightTotal.decrementAndGet();
        inFlight.get(agent).decrementAndGet();
    }

    private void placeCall(HttpExchange exchange, JsonNode body) throws IOException {
        String agent = body.path("agent_id").asString("");
        String number = body.path("recipient_phone_number").asString("");
        int request = callRequests.incrementAndGet() - holdAfter;
        if (request > holdPlaced && request <= holdPlaced + holdNotPlaced) {
            await(new Held(number, false));
            // its sender is gone: nothing to answer, nothing placed
            return;
        }
        boolean holdAnswer = request > 0 && request <= holdPlaced;
        Integer refusal = refusals.getOrDefault(number, refusals.get("*"));
        if (refusal != null) {
            respond(exchange, refusal, Map.of("error", refusal, "message", "refused by the fake (" + refusal + ")"));
            return;
        }
        if (!admit(agent)) {
            throttled.incrementAndGet();
            if (holdThrottled) {
                await(new Held(number, false));
            }
            exchange.getResponseHeaders().add("Retry-After", "1");
            respond(exchange, 429, Map.of("error", 429, "message", "concurrency limit reached"));
            return;
        }
        dials.add(body);
        int attempt = attempts.computeIfAbsent(number, key -> new AtomicInteger()).incrementAndGet();
        String id = "exec-" + UUID.randomUUID();
        Execution execution = new Execution(id, agent, number, body.path("user_data"), script.apply(number, attempt));
        executions.put(id, execution);
        if (holdAnswer) {
            await(new Held(number, true));
            try {
                respond(exchange, 200, Map.of("message", "done", "status", "queued", "execution_id", id));
            } catch (IOException senderGone) {
                // the instance that asked was killed meanwhile: the call is placed all the same
            }
        } else {
            respond(exchange, 200, Map.of("message", "done", "status", "queued", "execution_id", id));
        }
        sendLater(() -> ring(execution), ringAfter.toMillis());
    }

    private void await(Held request) {
        held.add(request);
        try {
            request.release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request to POST /call held by {@link #holdCalls}. */
    private static final class Held {
        final String number;
        final boolean placed;
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean released;

        Held(String number, boolean placed) {
            this.number = number;
            this.placed = placed;
        }
    }

    private void ring(Execution execution) {
        synchronized (execution) {
            if (execution.status != null) {
                return;
            }
            execution.status = "ringing";
        }
        deliver(execution);
        // scheduled once the ringing webhook was acknowledged: the end never overtakes it
        sendLater(() -> end(execution), execution.hangUpOnRing ? 0 : callLength.toMillis());
    }

    private void end(Execution execution) {
        String[] outcome = execution.outcome.split(":");
        synchronized (execution) {
            if (!"ringing".equals(execution.status)) {
                return;
            }
            execution.status = outcome[0].equals("voicemail") ? "completed" : outcome[0];
            execution.voicemail = outcome[0].equals("voicemail");
            execution.seconds = outcome.length > 1 ? Integer.parseInt(outcome[1]) : 0;
        }
        ended(execution.agentId);
        deliver(execution);
    }

    private void stop(HttpExchange exchange, String id) throws IOException {
        Execution execution = executions.get(id);
        if (execution == null) {
            respond(exchange, 404, Map.of("message", "no such execution"));
            return;
        }
        synchronized (execution) {
            if (execution.status != null) {
                respond(exchange, 400, Map.of("message", "This cannot stop a call already in progress"));
                return;
            }
            execution.status = "stopped";
        }
        ended(execution.agentId);
        respond(exchange, 200, Map.of("message", "done", "status", "stopped", "execution_id", id));
        sendLater(() -> deliver(execution), 5);
    }

    /** Runs {@code send} on a sender after {@code delayMillis}: the timers only keep time. */
    private void sendLater(Runnable send, long delayMillis) {
        timers.schedule(() -> senders.execute(send), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void deliver(Execution execution) {
        String payload = JSON.writeValueAsString(execution.payload());
        for (String url : webhookUrls) {
            deliver(url, payload);
        }
    }

    private void deliver(String url, String payload) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                HttpPost post = new HttpPost(url);
                post.setEntity(new StringEntity(payload, ContentType.APPLICATION_JSON));
                int status = client.execute(post, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
                if (status < 300) {
                    return;
                }
            } catch (IOException e) {
                // retried, as Bolna retries a delivery that got no 2xx (not after a close of the fake)
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            } catch (IllegalStateException closed) {
                // the fake was closed meanwhile (its client with it)
                return;
            }
        }
    }

    private static JsonNode read(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        held.forEach(h -> h.release.countDown());
        server.stop(0);
        timers.shutdownNow();
        senders.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
    }

    /** A call at the fake; {@code status} null while it is queued. */
    private static final class Execution {
        final String id;
        final String agentId;
        final String number;
        final JsonNode userData;
        final String outcome;
        volatile String status;
        volatile boolean voicemail;
        volatile int seconds;
        volatile boolean hangUpOnRing;
        final Instant createdAt = Instant.now();

        Execution(String id, String agentId, String number, JsonNode userData, String outcome) {
            this.id = id;
            this.agentId = agentId;
            this.number = number;
            this.userData = userData;
            this.outcome = outcome;
        }

        Map<String, Object> payload() {
            Map<String, Object> telephony = new LinkedHashMap<>();
            telephony.put("to_number", number);
            telephony.put("call_type", "outbound");
            telephony.put("duration", seconds == 0 ? null : String.valueOf(seconds));
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("id", id);
            payload.put("agent_id", agentId);
            payload.put("status", status == null ? "queued" : status);
            payload.put("created_at", createdAt.toString());
            payload.put("updated_at", Instant.now().toString());
            payload.put("conversation_duration", seconds);
            payload.put("answered_by_voice_mail", voicemail);
            payload.put("transcript", seconds > 0 ? "assistant: Hello!\nuser: Hi." : null);
            payload.put("context_details", Map.of("recipient_phone_number", number, "recipient_data",
                    userData.isObject() ? JSON.treeToValue(userData, Map.class) : Map.of()));
            payload.put("telephony_data", telephony);
            return payload;
        }
    }

    /**
     * Ends every call that is ringing now, as if they all hung up at once, and every call placed but
     * not ringing yet as soon as it rings (on a loaded machine the ring timer may not have fired).
     */
    public void finishRinging() {
        executions.values().forEach(execution -> {
            synchronized (execution) {
                execution.hangUpOnRing = true;
            }
            if ("ringing".equals(execution.status)) {
                end(execution);
            }
        });
    }

    /** Calls in progress now for one agent. */
    public int inFlight(String bolnaAgentId) {
        return inFlight.getOrDefault(bolnaAgentId, new AtomicInteger()).get();
    }

    /** Numbers and their attempt counts, for assertions. */
    public Map<String, Integer> attempts() {
        Map<String, Integer> copy = new LinkedHashMap<>();
        attempts.forEach((number, count) -> copy.put(number, count.get()));
        return copy;
    }

    /** Numbers dialled, in order (one entry per call). */
    public List<String> dialledNumbers() {
        List<String> numbers = new ArrayList<>();
        dials.forEach(dial -> numbers.add(dial.path("recipient_phone_number").asString("")));
        return numbers;
    }
}
