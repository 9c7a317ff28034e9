package ai.calling.hardening;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.RawHttp;
import ai.calling.support.RawHttp.Answer;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 20, point 2: walks {@code /v3/api-docs} and sends every operation, signed in with the role
 * it needs, hostile variants of a plausible request: malformed JSON, JSON of the wrong shape, the
 * wrong content type, and for each body property, query, path parameter and header in turn a
 * wrong type, null, a NUL character, an over-long string, an unknown enum value, extreme numbers,
 * invalid UUIDs and far dates, plus a few requests mixing random ones (a fixed seed, so a failure
 * replays). Every answer must be below 500, and every 4xx an {@code application/problem+json}
 * problem detail carrying its status.
 * <p>
 * Providers: Bolna is a WireMock fake that accepts everything (so calls to it succeed); OpenAI and
 * Stripe are not configured. The only 5xx tolerated is a 503 saying a provider is not configured:
 * nothing a client sends can cause it, and it is what the API document promises.
 */
@IntegrationTest
class OpenApiFuzzTest {

    static final WireMockServer BOLNA = new WireMockServer(WireMockConfiguration.options().dynamicPort()
            .globalTemplating(true));
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String HOOK_SECRET = "fuzz-hook-secret";
    static final long SEED = 20_2026L;
    static final String NUL = "fuzz\u0000text";
    static final String LONG = "L".repeat(100_000);
    static final String EXPLODED = "exploded";

    static {
        BOLNA.start();
    }

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.api-key", () -> "bn-fuzz-key");
        registry.add("app.bolna.base-url", BOLNA::baseUrl);
        registry.add("app.bolna.webhook-secret", () -> HOOK_SECRET);
        registry.add("app.bolna.read-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        BOLNA.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    RawHttp raw;
    JsonNode docs;
    Fixtures fixtures;
    final List<String> failures = new ArrayList<>();
    final Map<Integer, Integer> statuses = new TreeMap<>();
    int requests;

    @Test
    void noOperationAnswers5xxOrAnythingButProblemDetailsToHostileInput() throws IOException {
        long started = System.nanoTime();
        http = new Http(port);
        raw = new RawHttp(port);
        fakeBolna();
        docs = http.get("/v3/api-docs").json();
        fixtures = new Fixtures();
        List<Operation> operations = operations();
        Random random = new Random(SEED);

        for (Operation operation : operations) {
            fuzz(operation, random);
        }

        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[issue-20] OpenAPI fuzz: %d operations, %d requests, %.1f s, %d failures; answers by status %s%n",
                operations.size(), requests, seconds, failures.size(), statuses);
        assertThat(operations).hasSizeGreaterThan(80);
        assertThat(failures).as("answers that were 5xx or not problem details").isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // The operations, in an order that keeps the fixtures alive as long as possible

    record Operation(String method, String path, JsonNode spec) {

        List<JsonNode> parameters(String in) {
            List<JsonNode> found = new ArrayList<>();
            spec.path("parameters").forEach(p -> {
                if (in.equals(p.path("in").asString())) {
                    found.add(p);
                }
            });
            return found;
        }

        String bodyType() {
            var names = spec.path("requestBody").path("content").propertyNames();
            return names.isEmpty() ? null : names.iterator().next();
        }

        JsonNode bodySchema() {
            return spec.path("requestBody").path("content").path(bodyType()).path("schema");
        }

        /** Destructive ones last: deletions, sign-out, deactivation. */
        int rank() {
            if (path.equals("/api/auth/logout")) {
                return 3;
            }
            if (method.equals("DELETE")) {
                return 2;
            }
            return path.endsWith("/status") || path.endsWith("/deactivate") ? 1 : 0;
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        docs.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            // a stream (GET /api/events) never ends: it has its own tests
            boolean stream = method.getValue().path("responses").path("200").path("content").has("text/event-stream");
            if (List.of("get", "post", "put", "patch", "delete").contains(method.getKey()) && !stream) {
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), method.getValue()));
            }
        }));
        operations.sort(Comparator.comparingInt(Operation::rank).thenComparing(Operation::toString));
        return operations;
    }

    // ---------------------------------------------------------------------------------------------
    // What is sent

    private void fuzz(Operation op, Random random) {
        Map<String, String> path = new LinkedHashMap<>();
        op.parameters("path").forEach(p -> path.put(p.path("name").asString(), fixtures.pathValue(op.path(), p)));
        Map<String, String> query = new LinkedHashMap<>();
        op.parameters("query").forEach(p -> query.put(p.path("name").asString(), fixtures.queryValue(p)));
        Map<String, String> headers = new LinkedHashMap<>();
        op.parameters("header").forEach(p -> headers.put(p.path("name").asString(), "fuzz-" + UUID.randomUUID()));
        String type = op.bodyType();
        JsonNode body = type != null && type.contains("json") ? sample(op.bodySchema(), "body", 0) : null;

        send(op, "plausible request", path, query, headers, body);
        if ("multipart/form-data".equals(type)) {
            fuzzUpload(op, path, query, headers);
        } else if (type != null) {
            fuzzBody(op, path, query, headers, body);
        }
        for (String name : query.keySet()) {
            for (String value : hostileQueryValues()) {
                Map<String, String> mutated = new LinkedHashMap<>(query);
                mutated.put(name, value);
                send(op, "query " + name + "=" + abbreviate(value), path, mutated, headers, body);
            }
        }
        for (String name : path.keySet()) {
            for (String value : List.of("not-a-uuid", UUID.randomUUID().toString(), "%00", "..%2f..%2fadmin",
                    "%ff%fe", "0".repeat(300), "-1", "99999999999999999999", "x;y=1", "a%2F%2Fb", "%252e%252e")) {
                Map<String, String> mutated = new LinkedHashMap<>(path);
                mutated.put(name, value);
                send(op, "path " + name + "=" + abbreviate(value), mutated, query, headers, body);
            }
        }
        for (String name : headers.keySet()) {
            for (String value : List.of("", "x".repeat(4000), NUL, "é\u202e")) {
                Map<String, String> mutated = new LinkedHashMap<>(headers);
                mutated.put(name, value);
                send(op, "header " + name + "=" + abbreviate(value), path, query, mutated, body);
            }
        }
        for (int i = 0; i < 4; i++) {
            Map<String, String> mixedQuery = new LinkedHashMap<>(query);
            mixedQuery.replaceAll((name, value) -> random.nextBoolean() ? pick(hostileQueryValues(), random) : value);
            JsonNode mixedBody = body == null ? null : mix(body, random);
            send(op, "random mix #" + i, path, mixedQuery, headers, mixedBody);
        }
    }

    private void fuzzBody(Operation op, Map<String, String> path, Map<String, String> query,
            Map<String, String> headers, JsonNode body) {
        String type = op.bodyType();
        for (String malformed : List.of("", "{", "{\"a\":}", "[1,2", "nul", "{\"a\":\"\\ud800\"}", "\"\\u0000\"",
                "[".repeat(5000), "{\"a\":" + "1".repeat(5000) + "}", "\uFEFF{}")) {
            exchange(op, "malformed JSON " + abbreviate(malformed), path, query, headers, type, malformed);
        }
        for (JsonNode wrongShape : List.<JsonNode>of(NODES.arrayNode(), NODES.stringNode("x"), NODES.numberNode(123),
                NODES.nullNode(), NODES.booleanNode(true))) {
            send(op, "body " + wrongShape, path, query, headers, wrongShape);
        }
        exchange(op, "wrong content type", path, query, headers, "text/plain", String.valueOf(body));
        exchange(op, "XML", path, query, headers, "application/xml", "<a/>");
        if (body instanceof ObjectNode object) {
            JsonNode schema = resolve(op.bodySchema());
            for (String property : propertyNames(object, schema)) {
                JsonNode propertySchema = resolve(schema.path("properties").path(property));
                for (JsonNode value : hostileValues(propertySchema)) {
                    ObjectNode mutated = object.deepCopy();
                    mutated.set(property, value);
                    send(op, "body " + property + "=" + abbreviate(value.toString()), path, query, headers, mutated);
                }
            }
            ObjectNode nulKey = object.deepCopy();
            nulKey.put("key" + NUL, "value");
            send(op, "body with a NUL key", path, query, headers, nulKey);
        }
    }

    private void fuzzUpload(Operation op, Map<String, String> path, Map<String, String> query,
            Map<String, String> headers) {
        List<byte[]> files = List.of(
                ("phone,name,notes\n+14155550160,Fuzz " + NUL + ",x\n").getBytes(StandardCharsets.UTF_8),
                ("phone,name,notes\n+14155550161,Fuzz," + LONG + "\n").getBytes(StandardCharsets.UTF_8),
                ("phone,name\n" + "9".repeat(5000) + ",x\n").getBytes(StandardCharsets.UTF_8),
                new byte[] { (byte) 0xff, (byte) 0xfe, 'p', 'h', 'o', 'n', 'e', '\n', (byte) 0xc3, '\n' },
                "phone\n".getBytes(StandardCharsets.UTF_8),
                "\"unterminated,phone\n".getBytes(StandardCharsets.UTF_8),
                new byte[0]);
        for (byte[] file : files) {
            String boundary = "fuzz" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] multipart = new byte[head.length + file.length + tail.length];
            System.arraycopy(head, 0, multipart, 0, head.length);
            System.arraycopy(file, 0, multipart, head.length, file.length);
            System.arraycopy(tail, 0, multipart, head.length + file.length, tail.length);
            exchangeBytes(op, "CSV " + abbreviate(new String(file, StandardCharsets.UTF_8)), path, query, headers,
                    "multipart/form-data; boundary=" + boundary, multipart);
        }
        exchange(op, "multipart without a boundary", path, query, headers, "multipart/form-data", "garbage");
        exchange(op, "JSON instead of a file", path, query, headers, "application/json", "{}");
    }

    private List<JsonNode> hostileValues(JsonNode schema) {
        List<JsonNode> values = new ArrayList<>(List.of(NODES.nullNode(), NODES.stringNode(NUL),
                NODES.stringNode(LONG), NODES.stringNode(EXPLODED), NODES.numberNode(1e308),
                NODES.numberNode(new java.math.BigInteger("9223372036854775808")), NODES.numberNode(-2147483649L),
                NODES.numberNode(2147483647), NODES.numberNode(-1), NODES.booleanNode(true), NODES.objectNode(),
                NODES.arrayNode().add(NUL)));
        String format = schema.path("format").asString("");
        if (format.equals("uuid")) {
            values.addAll(List.of(NODES.stringNode("not-a-uuid"), NODES.stringNode(UUID.randomUUID().toString())));
        }
        if (format.startsWith("date")) {
            values.addAll(List.of(NODES.stringNode("+999999999-12-31"), NODES.stringNode("2026-02-30"),
                    NODES.stringNode("-0001-01-01T00:00:00Z"), NODES.stringNode("9999-12-31T23:59:59Z")));
        }
        if (schema.path("type").asString("").equals("object")) {
            ObjectNode nested = NODES.objectNode();
            nested.put("base_url", "http://169.254.169.254/latest/meta-data");
            nested.put("max_tokens", 100000);
            nested.put("call_terminate", 86400);
            nested.put("key" + NUL, NUL);
            nested.set("deep", NODES.objectNode().set("deeper", NODES.stringNode(LONG)));
            values.add(nested);
        }
        return values;
    }

    private static List<String> hostileQueryValues() {
        return List.of("%00", "x".repeat(3000), EXPLODED, "-1", "2147483648", "99999999999999999999", "1e308", "NaN",
                "not-a-uuid", "%2B999999999-12-31", "2026-02-30", "", "%E2%80%AE", "%27%3B--", "..%2F..%2F");
    }

    private JsonNode mix(JsonNode body, Random random) {
        if (!(body instanceof ObjectNode object)) {
            return body;
        }
        ObjectNode mixed = object.deepCopy();
        for (String property : object.propertyNames()) {
            if (random.nextBoolean()) {
                mixed.set(property, pick(hostileValues(NODES.objectNode()), random));
            }
        }
        return mixed;
    }

    // ---------------------------------------------------------------------------------------------
    // Sending and judging

    private void send(Operation op, String what, Map<String, String> path, Map<String, String> query,
            Map<String, String> headers, JsonNode body) {
        String type = op.bodyType();
        String contentType = type == null || !type.contains("json") ? "application/json" : type;
        exchange(op, what, path, query, headers, body == null ? null : contentType,
                body == null ? null : JSON.writeValueAsString(body));
    }

    private void exchange(Operation op, String what, Map<String, String> path, Map<String, String> query,
            Map<String, String> headers, String contentType, String body) {
        exchangeBytes(op, what, path, query, headers, contentType,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private void exchangeBytes(Operation op, String what, Map<String, String> path, Map<String, String> query,
            Map<String, String> headers, String contentType, byte[] body) {
        String target = op.path();
        for (var p : path.entrySet()) {
            target = target.replace("{" + p.getKey() + "}", p.getValue());
        }
        StringBuilder queryString = new StringBuilder();
        query.forEach((name, value) -> queryString.append(queryString.isEmpty() ? "?" : "&").append(name).append('=')
                .append(value));
        Map<String, String> sent = new LinkedHashMap<>(headers);
        sent.put("Authorization", "Bearer " + fixtures.tokenFor(op));
        if (contentType != null) {
            sent.put("Content-Type", contentType);
        }
        requests++;
        Answer answer;
        try {
            answer = raw.exchange(op.method(), target + queryString, sent, body);
        } catch (IOException e) {
            failures.add(op + " [" + what + "]: no answer (" + e.getMessage() + ")");
            return;
        }
        statuses.merge(answer.status(), 1, Integer::sum);
        String problem = judge(answer);
        if (problem != null) {
            failures.add(op + " [" + what + "] -> " + answer.status() + " " + problem + ": "
                    + abbreviate(answer.body()));
        }
    }

    /** Null when the answer is acceptable, otherwise what is wrong with it. */
    static String judge(Answer answer) {
        int status = answer.status();
        if (status >= 500) {
            boolean unconfigured = status == 503 && answer.body().contains("not configured");
            return unconfigured ? null : "a server error for client input";
        }
        if (status < 400) {
            return null;
        }
        if (!answer.contentType().startsWith("application/problem+json")) {
            return "not application/problem+json (" + answer.contentType() + ")";
        }
        try {
            return JSON.readTree(answer.body()).path("status").asInt() == status ? null : "status missing from the body";
        } catch (RuntimeException e) {
            return "a body that is not JSON";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Plausible values from the schemas

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.isEmpty() ? schema : docs.at(ref.substring(1));
    }

    private List<String> propertyNames(ObjectNode body, JsonNode schema) {
        List<String> names = new ArrayList<>(body.propertyNames());
        if (names.isEmpty() && schema.has("additionalProperties")) {
            names.add("value");
        }
        return names;
    }

    private JsonNode sample(JsonNode schema, String name, int depth) {
        JsonNode s = resolve(schema);
        if (s.has("enum")) {
            return s.path("enum").get(0);
        }
        String type = s.path("type").asString("");
        String format = s.path("format").asString("");
        if (type.equals("object") || s.has("properties")) {
            ObjectNode object = NODES.objectNode();
            if (depth < 3) {
                s.path("properties").properties().forEach(p -> object.set(p.getKey(), sample(p.getValue(), p.getKey(),
                        depth + 1)));
            }
            if (object.isEmpty() && s.has("additionalProperties") && name.equals("body")) {
                object.put("value", "fuzz");
            }
            return object;
        }
        if (type.equals("array")) {
            ArrayNode array = NODES.arrayNode();
            return depth < 3 ? array.add(sample(s.path("items"), name, depth + 1)) : array;
        }
        if (type.equals("integer")) {
            return NODES.numberNode(1);
        }
        if (type.equals("number")) {
            return NODES.numberNode(1.5);
        }
        if (type.equals("boolean")) {
            return NODES.booleanNode(true);
        }
        return NODES.stringNode(fixtures.text(name, format));
    }

    // ---------------------------------------------------------------------------------------------
    // The world the operations act on, made through the API

    private void fakeBolna() {
        String id = "{\"agent_id\":\"fuzz-{{randomValue type='UUID'}}\",\"execution_id\":\"fuzz-{{randomValue type='UUID'}}\"}";
        BOLNA.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{}")));
        BOLNA.stubFor(post(urlPathEqualTo("/v2/agent")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(id)));
        BOLNA.stubFor(post(urlPathEqualTo("/call")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(id)));
    }

    final class Fixtures {

        final SignedIn user = TestUsers.register(http);
        final SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "super_admin");
        final SignedIn target = TestUsers.register(http);
        final String signOutToken = TestUsers.login(http, user.email()).accessToken();
        final String agent = created("/api/agents", Map.of("name", "Fuzz agent", "welcomeMessage", "Hello",
                "systemPrompt", "Be brief."), user);
        final String agentTarget = created("/api/agents/" + agent + "/targets", Map.of("targetDate",
                LocalDate.now().plusDays(1).toString(), "targetType", "daily", "targetCalls", 5), user);
        final String contact = created("/api/contacts", Map.of("phoneNumber", "+14155550170", "name", "Fuzz"), user);
        final String call = created("/api/calls", Map.of("agentId", agent, "phoneNumber", "+14155550171"), user);
        final String followUp = created("/api/follow-ups", Map.of("leadPhone", "+14155550172", "followUpDate",
                LocalDate.now().plusDays(2).toString()), user);
        final String customer = created("/api/customers", Map.of("contactId", contact), user);
        final String phoneNumber = created("/api/admin/phone-numbers", Map.of("name", "Fuzz line",
                "phoneNumber", "+14155550173"), admin);
        final String webhookEvent = http.post("/api/webhooks/bolna?token=" + HOOK_SECRET,
                Map.of("id", "fuzz-execution", "agent_id", "fuzz-agent", "status", "completed")).json()
                .path("eventId").asString();

        private String created(String path, Map<String, ?> body, SignedIn as) {
            Http.Response response = http.post(path, body, as.auth());
            assertThat(response.status()).as(path + ": " + response.body()).isBetween(200, 299);
            return response.json().path("id").asString();
        }

        String tokenFor(Operation op) {
            if (op.path().equals("/api/auth/logout")) {
                return signOutToken;
            }
            return op.path().startsWith("/api/admin") || op.path().startsWith("/api/openai-prompts/admin")
                    ? admin.accessToken() : user.accessToken();
        }

        /** An existing resource of the right kind where there is one, so the request gets past the lookup. */
        String pathValue(String path, JsonNode parameter) {
            String name = parameter.path("name").asString();
            Map<String, Function<String, String>> byName = Map.of(
                    "userId", p -> target.id().toString(),
                    "targetId", p -> agentTarget,
                    "key", p -> "fuzz_unknown_key",
                    "name", p -> "fuzz-unknown-job",
                    "phone", p -> "+14155550172");
            if (byName.containsKey(name)) {
                return byName.get(name).apply(path);
            }
            Map<String, String> byPrefix = new LinkedHashMap<>();
            byPrefix.put("/api/contacts", contact);
            byPrefix.put("/api/agents", agent);
            byPrefix.put("/api/analytics/agents", agent);
            byPrefix.put("/api/calls", call);
            byPrefix.put("/api/follow-ups", followUp);
            byPrefix.put("/api/customers", customer);
            byPrefix.put("/api/admin/users", target.id().toString());
            byPrefix.put("/api/admin/phone-numbers", phoneNumber);
            byPrefix.put("/api/admin/webhooks/bolna", webhookEvent);
            return byPrefix.entrySet().stream().filter(e -> path.startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(UUID.randomUUID().toString());
        }

        String queryValue(JsonNode parameter) {
            if (parameter.path("name").asString().equals("token")) {
                return HOOK_SECRET;
            }
            JsonNode schema = parameter.path("schema");
            return switch (schema.path("type").asString("")) {
                case "integer" -> "1";
                case "boolean" -> "true";
                default -> URLEncoder.encode(text(parameter.path("name").asString(), schema.path("format").asString("")),
                        StandardCharsets.UTF_8);
            };
        }

        String text(String name, String format) {
            String lower = name.toLowerCase();
            if (format.equals("uuid")) {
                return lower.contains("agent") ? agent : lower.contains("contact") ? contact
                        : lower.contains("user") ? target.id().toString() : UUID.randomUUID().toString();
            }
            if (format.equals("date")) {
                return LocalDate.now().plusDays(3).toString();
            }
            if (format.equals("date-time")) {
                return "2026-01-01T00:00:00Z";
            }
            if (lower.contains("email")) {
                return "fuzz-" + UUID.randomUUID() + "@example.test";
            }
            if (lower.contains("phone")) {
                return "+14155550174";
            }
            if (lower.contains("password")) {
                return TestUsers.PASSWORD;
            }
            return "fuzz";
        }
    }

    private static <T> T pick(List<T> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\u0000", "\\0").replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "…(" + oneLine.length() + ")" : oneLine;
    }
}
