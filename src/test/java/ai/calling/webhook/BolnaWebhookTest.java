package ai.calling.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** Bolna webhook ingestion over HTTP, with payloads shaped like Bolna's executions (docs/bolna-webhooks.md). */
@IntegrationTest
class BolnaWebhookTest {

    static final String SECRET = "hook-secret-123";
    static final WireMockServer BOLNA = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        BOLNA.start();
    }

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.api-key", () -> "bn-key");
        registry.add("app.bolna.base-url", BOLNA::baseUrl);
        registry.add("app.bolna.webhook-secret", () -> SECRET);
    }

    @AfterAll
    static void stop() {
        BOLNA.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BolnaReconciliation reconciliation;

    @Autowired
    BolnaWebhookService webhooks;

    Http http;
    SignedIn user;
    String bolnaAgent;
    UUID agent;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        agent = UUID.randomUUID();
        bolnaAgent = "bolna-" + agent;
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Agent')", agent, user.id(),
                bolnaAgent);
    }

    @Test
    void aWrongOrMissingSecretIs401AndStoresNothing() {
        long before = events();
        String body = event("exec-" + UUID.randomUUID(), "ringing", 0, "");

        Http.Response wrong = http.post("/api/webhooks/bolna?token=wrong", body);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.json().path("status").asInt()).isEqualTo(401);
        assertThat(wrong.json().path("instance").asString()).isEqualTo("/api/webhooks/bolna");
        assertThat(http.post("/api/webhooks/bolna", body).status()).isEqualTo(401);
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void theWebhookAnswersOnlyPostAndIsInTheApiDocument() {
        Http.Response get = http.get("/api/webhooks/bolna?token=" + SECRET);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/v3/api-docs").json().path("paths").path("/api/webhooks/bolna").path("post").isObject())
                .isTrue();
        // the servlet records http.server.requests itself: same label names as Spring MVC's requests
        String scrape = http.get("/actuator/prometheus", Http.bearer(IntegrationTest.SCRAPE_TOKEN)).body();
        assertThat(labelNames(scrape, "/api/webhooks/bolna")).isNotEmpty().isEqualTo(labelNames(scrape, "/v3/api-docs"));
        assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"405\"[^}]*uri=\"/api/webhooks/bolna\"");
    }

    private static Set<String> labelNames(String scrape, String uri) {
        return scrape.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("uri=\"" + uri + "\""))
                .findFirst()
                .map(line -> Pattern.compile("(\\w+)=\"").matcher(line).results()
                        .map(match -> match.group(1)).collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    @Test
    void badBodiesAreRefused() {
        long before = events();
        Http.Response notJson = post("{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("detail").asString()).isEqualTo("The body is not JSON");
        assertThat(post("{\"status\":\"ringing\"}").status()).isEqualTo(400);
        assertThat(post("{\"id\":\"x\",\"pad\":\"" + "a".repeat(1024 * 1024) + "\"}").status()).isEqualTo(413);
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void aWholeLifecycleEndsCompletedBilledTranscribedAndLinkedToAContact() {
        String execution = outboundCall(0);
        for (String status : List.of("queued", "initiated", "ringing", "in-progress", "call-disconnected")) {
            assertThat(post(event(execution, status, 0, "")).status()).isEqualTo(200);
        }
        post(event(execution, "completed", 61, "assistant: Hello, this is Nila.\nuser: Hi, tell me the price.\nplease"));

        Map<String, Object> call = call(execution);
        assertThat(call).containsEntry("status", "completed").containsEntry("call_lifecycle_status", "disconnected")
                .containsEntry("duration_seconds", 61).containsEntry("duration_minutes", 2).containsEntry("credits_used", 2)
                .containsEntry("hangup_by", "user").containsEntry("recording_url", "https://rec.example/" + execution + ".mp3");
        assertThat(call.get("ringing_started_at")).isNotNull();
        assertThat(call.get("call_answered_at")).isNotNull();
        assertThat(call.get("call_disconnected_at")).isNotNull();
        assertThat(call.get("contact_id")).isNotNull();
        assertThat(call.get("transcript_id")).isNotNull();
        assertThat(jdbc.queryForObject("SELECT bolna_metadata ->> 'last_status' FROM calls WHERE bolna_execution_id = ?",
                String.class, execution)).as("Bolna's metadata, written again by each event").isEqualTo("completed");
        // the same end again with its summary: only the metadata changes, and it is written
        post(event(execution, "completed", 61, "assistant: Hello, this is Nila.\nuser: Hi, tell me the price.\nplease")
                .replace("\"cost_breakdown\"", "\"summary\":\"Asked for the price.\",\"cost_breakdown\""));
        assertThat(jdbc.queryForObject("SELECT bolna_metadata ->> 'summary' FROM calls WHERE bolna_execution_id = ?",
                String.class, execution)).isEqualTo("Asked for the price.");
        Http.Response transcript = http.get("/api/calls/" + call.get("id") + "/transcript", user.auth());
        assertThat(transcript.json().path("speakerSegments").size()).isEqualTo(2);
        assertThat(transcript.json().path("speakerSegments").path(1).path("text").asString())
                .isEqualTo("Hi, tell me the price. please");
        assertThat(usage(execution)).containsExactly(-2);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM agent_analytics WHERE agent_id = ?", Integer.class, agent))
                .isOne();
        assertInvariant();
    }

    @Test
    void aNewlyCompletedCallIsOnTheDashboardAtOnce() {
        int before = http.get("/api/dashboard/overview", user.auth()).json().path("last7Days").path("calls").asInt();
        String execution = outboundCall(0);

        post(event(execution, "completed", 61, ""));

        Http.Response after = http.get("/api/dashboard/overview", user.auth());
        assertThat(after.json().path("last7Days").path("calls").asInt()).isEqualTo(before + 1);
        assertThat(after.json().path("creditsRemaining").asInt()).isEqualTo(13);
    }

    @Test
    void theSameTerminalEventFiveTimesDebitsOnce() {
        String execution = outboundCall(0);
        String completed = event(execution, "completed", 125, "");

        for (int i = 0; i < 5; i++) {
            assertThat(post(completed).status()).isEqualTo(200);
        }

        assertThat(usage(execution)).containsExactly(-3);
        assertThat(call(execution)).containsEntry("credits_used", 3);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM agent_analytics WHERE agent_id = ?", Integer.class, agent))
                .isOne();
        assertInvariant();
    }

    @Test
    void aTerminalEventBeforeRingingLeavesTheFinalStateAndFillsTimestampsOnce() {
        String execution = outboundCall(0);
        post(event(execution, "completed", 30, ""));
        post(event(execution, "ringing", 0, ""));
        post(event(execution, "in-progress", 0, ""));

        Map<String, Object> call = call(execution);
        assertThat(call).containsEntry("status", "completed").containsEntry("call_lifecycle_status", "disconnected")
                .containsEntry("duration_minutes", 1);
        assertThat(call.get("ringing_started_at")).isNotNull();
        assertThat(usage(execution)).containsExactly(-1);
    }

    @Test
    void aCallThatNeverConnectedCostsNothingAndCountsAgainstItsContact() {
        String execution = outboundCall(0);

        post(event(execution, "no-answer", 0, ""));
        post(event(execution, "completed", 0, ""));

        assertThat(call(execution)).containsEntry("status", "failed").containsEntry("credits_used", 0);
        assertThat(usage(execution)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT not_connected FROM contacts WHERE id = ?", Integer.class,
                call(execution).get("contact_id"))).isOne();
    }

    @Test
    void anInboundCallForAKnownAgentIsCreatedAndAnUnknownAgentIsIgnored() {
        String execution = "exec-" + UUID.randomUUID();
        String inbound = event(execution, "completed", 90, "user: hello").replace("\"call_type\":\"outbound\"",
                "\"call_type\":\"inbound\"");

        assertThat(post(inbound).status()).isEqualTo(200);

        assertThat(call(execution)).containsEntry("lead_type", "inbound").containsEntry("phone_number", "+14155550111")
                .containsEntry("status", "completed").containsEntry("credits_used", 2);
        // the rows written at the highest rate take time-ordered ids (decision 0059): the call created for the
        // event, its transcript and the stored delivery
        assertThat(List.of(call(execution).get("id"), call(execution).get("transcript_id"),
                jdbc.queryForObject("SELECT id FROM bolna_webhook_events WHERE execution_id = ?", UUID.class, execution)))
                .allSatisfy(id -> assertThat(((UUID) id).version()).isEqualTo(7));
        String stranger = event("exec-" + UUID.randomUUID(), "ringing", 0, "").replace(bolnaAgent, "bolna-unknown");
        assertThat(post(stranger).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT state FROM bolna_webhook_events WHERE bolna_agent_id = 'bolna-unknown' "
                + "ORDER BY received_at DESC LIMIT 1", String.class)).isEqualTo("ignored");
    }

    @Test
    void aProcessingFailureIsKeptListedAndReplayable() {
        String execution = outboundCall(0);
        Http.Response response = whileUpdatesOfTheCallFail(execution, () -> post(event(execution, "completed", 61, "")));
        assertThat(response.status()).isEqualTo(200);
        String eventId = response.json().path("eventId").asString();
        assertThat(call(execution)).containsEntry("status", "in_progress");
        SignedIn admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
        Http.Response failed = http.get("/api/admin/webhooks/bolna?state=failed&size=100", admin.auth());
        assertThat(failed.json().path("items").findValuesAsString("id")).contains(eventId);

        Http.Response replay = http.post("/api/admin/webhooks/bolna/" + eventId + "/replay", "", admin.auth());

        assertThat(replay.json().path("state").asString()).isEqualTo("processed");
        assertThat(call(execution)).containsEntry("status", "completed").containsEntry("credits_used", 2);
        assertThat(usage(execution)).containsExactly(-2);
        assertThat(http.post("/api/admin/webhooks/bolna/" + eventId + "/replay", "", user.auth()).status()).isEqualTo(403);
    }

    /**
     * Each event writes its call's row once (it used to be written twice: by the batch's flush and again,
     * unchanged, at the commit), and a delivery that changes nothing (Bolna delivering an event again)
     * does not write it at all.
     */
    @Test
    void anEventWritesItsCallOnceAndARepeatedEventNotAtAll() {
        String execution = outboundCall(0);
        String ringing = event(execution, "ringing", 0, "");
        String completed = event(execution, "completed", 61, "user: hi");
        List<Long> writes = whileWritesOfTheCallAreCounted(execution, () -> {
            List<Long> counts = new ArrayList<>();
            for (String body : List.of(ringing, ringing, completed, completed)) {
                assertThat(post(body).status()).isEqualTo(200);
                counts.add(callWritesCounted());
            }
            return counts;
        });

        assertThat(writes).containsExactly(1L, 1L, 2L, 2L);
        assertThat(call(execution)).containsEntry("status", "completed").containsEntry("credits_used", 2);
        assertThat(usage(execution)).containsExactly(-2);
    }

    /**
     * A batch writes its calls with one statement (CallProgressWriter), not one per call: Hibernate's UPDATE of
     * each call was the processor's most expensive statement. Counted by a statement trigger that sees the
     * rows each UPDATE of calls changed.
     */
    @Test
    void aBatchWritesItsCallsInOneStatement() {
        List<String> executions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            executions.add(outboundCall(0));
        }
        storedButNeverTaken(executions, "user: hi");

        long statements = statementsChanging("calls", "bolna_execution_id", executions,
                () -> assertThat(webhooks.sweep()).isEqualTo(6));

        assertThat(statements).isOne();
        for (String execution : executions) {
            Map<String, Object> call = call(execution);
            assertThat(call).containsEntry("status", "completed").containsEntry("credits_used", 2)
                    .containsEntry("hangup_by", "user").containsEntry("hangup_reason", "normal")
                    .containsEntry("hangup_provider_code", 4000).containsEntry("call_lifecycle_status", "disconnected")
                    .containsEntry("duration_seconds", 61).containsEntry("duration_minutes", 2)
                    .containsEntry("recording_url", "https://rec.example/" + execution + ".mp3");
            assertThat(call.get("contact_id")).isNotNull();
            assertThat(call.get("transcript_id")).isNotNull();
            assertThat(call.get("completed_at")).isNotNull();
            assertThat(call.get("call_disconnected_at")).isNotNull();
            assertThat(jdbc.queryForObject("SELECT bolna_metadata -> 'cost_breakdown' ->> 'llm' FROM calls "
                    + "WHERE bolna_execution_id = ?", String.class, execution)).isEqualTo("0.1");
        }
        assertInvariant();
    }

    /**
     * A batch that creates a call for an execution it does not know flushes what it changed so far with it: a call
     * changed before that flush is not written again unless it changes after it (it was, by the batch's statement).
     */
    @Test
    void aCallWrittenByTheFlushOfANewCallIsNotWrittenAgain() {
        String known = "exec-0-" + UUID.randomUUID();
        // filed under its contact already: nothing the batch does after the flush changes it
        UUID contact = jdbc.queryForObject("INSERT INTO contacts (user_id, phone_number) VALUES (?, '+14155550111') "
                + "RETURNING id", UUID.class, user.id());
        jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, contact_id) "
                + "VALUES (?, ?, ?, '+14155550111', ?)", user.id(), agent, known, contact);
        String unknown = "exec-z-" + UUID.randomUUID();
        for (String body : List.of(event(known, "ringing", 0, ""), event(unknown, "ringing", 0, "").replace(
                "\"call_type\":\"outbound\"", "\"call_type\":\"inbound\""))) {
            jdbc.update("INSERT INTO bolna_webhook_events (execution_id, bolna_agent_id, status, payload, received_at) "
                    + "VALUES (?, ?, 'ringing', ?::jsonb, now() - interval '1 minute')",
                    body.contains(known) ? known : unknown, bolnaAgent, body);
        }

        long writes = whileWritesOfTheCallAreCounted(known, () -> {
            assertThat(webhooks.sweep()).isEqualTo(2);
            return callWritesCounted();
        });

        assertThat(writes).isOne();
        assertThat(call(known)).containsEntry("call_lifecycle_status", "ringing");
        assertThat(call(unknown)).containsEntry("lead_type", "inbound").containsEntry("call_lifecycle_status", "ringing");
    }

    /**
     * A timestamp no column stores in ISO form (year 0 here) is not the execution's time: the event is applied with
     * its other timestamp, not failed (written as text, year 0 failed the batch and then the event, for good).
     */
    @Test
    void aTimestampOutOfRangeIsReadAsAbsent() {
        String execution = outboundCall(0);
        String body = event(execution, "ringing", 0, "").replaceFirst("\"updated_at\":\"[^\"]*\"",
                "\"updated_at\":\"0000-06-01T00:00:00+05:30\"");

        assertThat(post(body).status()).isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT state FROM bolna_webhook_events WHERE execution_id = ?", String.class,
                execution)).isEqualTo("processed");
        assertThat(jdbc.queryForObject("SELECT ringing_started_at = timestamptz '2026-11-25T10:00:00Z' FROM calls "
                + "WHERE bolna_execution_id = ?", Boolean.class, execution)).isTrue();
    }

    /**
     * The recipients of a batch's campaign calls are settled by one statement too (it was one per call): the
     * answered one completes, the unanswered one waits for its retry, the one of a cancelled campaign is cancelled.
     */
    @Test
    void aBatchSettlesTheRecipientsOfItsCampaignCallsInOneStatement() {
        UUID running = campaign("running");
        UUID cancelled = campaign("cancelled");
        List<String> executions = new ArrayList<>();
        List<UUID> recipients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID recipient = UUID.randomUUID();
            UUID campaign = i == 3 ? cancelled : running;
            String execution = outboundCall(0);
            jdbc.update("INSERT INTO campaign_recipients (id, campaign_id, user_id, phone_number, status, attempts) "
                    + "VALUES (?, ?, ?, ?, 'in_progress', 1)", recipient, campaign, user.id(), "+1415555020" + i);
            jdbc.update("UPDATE calls SET campaign_id = ?, campaign_recipient_id = ? WHERE bolna_execution_id = ?",
                    campaign, recipient, execution);
            jdbc.update("UPDATE campaign_recipients SET last_call_id = (SELECT id FROM calls WHERE bolna_execution_id = ?) "
                    + "WHERE id = ?", execution, recipient);
            jdbc.update("INSERT INTO bolna_webhook_events (execution_id, bolna_agent_id, status, payload, received_at) "
                    + "VALUES (?, ?, 'completed', ?::jsonb, now() - interval '1 minute')", execution, bolnaAgent,
                    i == 0 ? event(execution, "completed", 61, "") : event(execution, "no-answer", 0, ""));
            executions.add(execution);
            recipients.add(recipient);
        }

        long statements = statementsChanging("campaign_recipients", "id::text",
                recipients.stream().map(UUID::toString).toList(), () -> assertThat(webhooks.sweep()).isEqualTo(4));

        assertThat(statements).isOne();
        List<Map<String, Object>> settled = recipients.stream()
                .map(id -> jdbc.queryForMap("SELECT status, last_outcome, next_attempt_at FROM campaign_recipients "
                        + "WHERE id = ?", id)).toList();
        assertThat(settled.get(0)).containsEntry("status", "completed").containsEntry("last_outcome", "completed");
        assertThat(settled.get(1)).containsEntry("status", "pending").containsEntry("last_outcome", "no_answer");
        assertThat(settled.get(1).get("next_attempt_at")).isNotNull();
        assertThat(settled.get(2)).containsEntry("status", "pending");
        assertThat(settled.get(3)).containsEntry("status", "cancelled").containsEntry("next_attempt_at", null);
    }

    private UUID campaign(String status) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO campaigns (id, user_id, agent_id, name, status, timezone, window_start, window_end, "
                + "window_days, max_concurrent_calls, retry_max_attempts, retry_on, retry_delay_minutes) VALUES "
                + "(?, ?, ?, 'Batch', ?, 'UTC', '00:00', '23:59', '{1,2,3,4,5,6,7}', 5, 2, '{no_answer}', 5)",
                id, user.id(), agent, status);
        return id;
    }

    /**
     * Runs {@code action} and returns how many UPDATE statements on {@code table} changed a row whose {@code key}
     * is one of {@code values} (a statement trigger that sees the rows each statement changed).
     */
    private long statementsChanging(String table, String key, List<String> values, Runnable action) {
        jdbc.execute("CREATE SEQUENCE test_statements");
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_count_statement() RETURNS trigger AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM changed WHERE %s = ANY(string_to_array(TG_ARGV[0], ','))) THEN
                        PERFORM nextval('test_statements');
                    END IF;
                    RETURN NULL;
                END; $$ LANGUAGE plpgsql""".formatted(key));
        jdbc.execute("CREATE TRIGGER test_count_statement AFTER UPDATE ON " + table + " REFERENCING NEW TABLE AS changed "
                + "FOR EACH STATEMENT EXECUTE FUNCTION test_count_statement('" + String.join(",", values) + "')");
        try {
            action.run();
            return jdbc.queryForObject("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test_statements",
                    Long.class);
        } finally {
            jdbc.execute("DROP TRIGGER test_count_statement ON " + table);
            jdbc.execute("DROP FUNCTION test_count_statement()");
            jdbc.execute("DROP SEQUENCE test_statements");
        }
    }

    /** Completed events stored a minute ago but never taken by a processor (as after a crash): the sweep applies them as one batch. */
    private void storedButNeverTaken(List<String> executions, String transcript) {
        for (String execution : executions) {
            jdbc.update("INSERT INTO bolna_webhook_events (execution_id, bolna_agent_id, status, payload, received_at) "
                    + "VALUES (?, ?, 'completed', ?::jsonb, now() - interval '1 minute')", execution, bolnaAgent,
                    event(execution, "completed", 61, transcript).replace("\n", " "));
        }
    }

    @Test
    void aBadEventInABatchFailsAloneAndTheOthersAreApplied() {
        List<String> executions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            executions.add(outboundCall(0));
        }
        String bad = executions.get(3);
        storedButNeverTaken(executions, "");
        assertThat(whileUpdatesOfTheCallFail(bad, webhooks::sweep)).isEqualTo(6);

        for (String execution : executions) {
            String state = jdbc.queryForObject("SELECT state FROM bolna_webhook_events WHERE execution_id = ?",
                    String.class, execution);
            if (execution.equals(bad)) {
                assertThat(state).isEqualTo("failed");
                assertThat(call(execution)).containsEntry("status", "in_progress");
                assertThat(usage(execution)).isEmpty();
            } else {
                assertThat(state).isEqualTo("processed");
                assertThat(call(execution)).containsEntry("status", "completed");
                assertThat(usage(execution)).containsExactly(-2);
            }
        }
        assertInvariant();
    }

    /**
     * A batch that ends several calls hands them to the listeners together (one statement each for the
     * outcomes, the analysis jobs and whether the account wants outbound events): each call applied gets
     * one outcome, one job and one call.completed event; the bad one, applied alone after the batch failed,
     * none of them, and the others none twice.
     */
    @Test
    void aBatchEndingSeveralCallsRecordsEachEndOnceAndTheBadOneNotAtAll() {
        jdbc.update("INSERT INTO live_event_readers (user_id) VALUES (?)", user.id());
        List<String> executions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            executions.add(outboundCall(0));
        }
        String bad = executions.get(2);
        storedButNeverTaken(executions, "user: hi");
        assertThat(whileUpdatesOfTheCallFail(bad, webhooks::sweep)).isEqualTo(5);

        for (String execution : executions) {
            UUID call = (UUID) call(execution).get("id");
            int expected = execution.equals(bad) ? 0 : 1;
            assertThat(jdbc.queryForObject("SELECT count(*) FROM agent_call_outcomes WHERE call_id = ?", Integer.class,
                    call)).isEqualTo(expected);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_analysis_jobs WHERE call_id = ?", Integer.class,
                    call)).isEqualTo(expected);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ? AND type = "
                    + "'call.completed' AND payload::text LIKE ?", Integer.class, user.id(), "%" + call + "%"))
                    .isEqualTo(expected);
            assertThat(usage(execution)).hasSize(expected);
        }
        assertInvariant();
    }

    @Test
    void processingGoesOnWhileDeliveriesKeepArriving() throws Exception {
        String execution = outboundCall(0);
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService flood = Executors.newSingleThreadExecutor();
        Future<Integer> posted = flood.submit(() -> {
            int count = 0;
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (flooding.get() && System.nanoTime() < until) {
                // deliveries for an agent of another platform: cheap to apply, so the flood measures the
                // yielding itself rather than how fast this machine creates calls
                http.post("/api/webhooks/bolna?token=" + SECRET, event("flood-" + count++, "ringing", 0, "")
                        .replace(bolnaAgent, "bolna-not-ours"));
            }
            return count;
        });
        try {
            Thread.sleep(300);
            http.post("/api/webhooks/bolna?token=" + SECRET, event(execution, "completed", 61, ""));
            // processing yields to the deliveries but never stops: the call ends well before the flood does
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "completed".equals(call(execution).get("status")));
            assertThat(posted.isDone()).isFalse();
        } finally {
            flooding.set(false);
            flood.shutdown();
        }
        assertThat(posted.get()).isPositive();
        assertThat(usage(execution)).containsExactly(-2);
    }

    @Test
    void aLostWebhookIsReconciledFromBolnasApi() {
        String execution = outboundCall(60);
        BOLNA.stubFor(get(urlPathEqualTo("/executions/" + execution)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(event(execution, "completed", 200, ""))));

        assertThat(reconciliation.reconcile()).isGreaterThanOrEqualTo(1);

        assertThat(call(execution)).containsEntry("status", "completed").containsEntry("credits_used", 4);
        assertThat(usage(execution)).containsExactly(-4);
        assertInvariant();
    }

    @Test
    void fiftyCallsTimesFiveShuffledEventsFromSixteenThreadsEndExact() throws Exception {
        UUID second = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Second')", second,
                user.id(), "bolna-" + second);
        List<String> executions = new ArrayList<>();
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String execution = outboundCall(0, i % 2 == 0 ? agent : second);
            executions.add(execution);
            for (String status : List.of("initiated", "ringing", "in-progress", "call-disconnected")) {
                deliveries.add(event(execution, status, 0, ""));
            }
            deliveries.add(event(execution, "completed", 61 + i, "assistant: hi"));
        }
        Collections.shuffle(deliveries, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Integer>> posts = deliveries.stream().<Callable<Integer>>map(body -> () -> post(body).status())
                    .toList();
            for (Future<Integer> status : pool.invokeAll(posts)) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }

        int expectedCredits = 0;
        for (int i = 0; i < 50; i++) {
            int minutes = (61 + i + 59) / 60;
            expectedCredits += minutes;
            assertThat(call(executions.get(i))).containsEntry("status", "completed")
                    .containsEntry("call_lifecycle_status", "disconnected").containsEntry("duration_minutes", minutes);
        }
        assertThat(jdbc.queryForObject("SELECT credits FROM users WHERE id = ?", Integer.class, user.id()))
                .isEqualTo(15 - expectedCredits);
        assertThat(jdbc.queryForObject("SELECT sum(total_calls)::int FROM agent_analytics WHERE user_id = ?",
                Integer.class, user.id())).isEqualTo(50);
        assertThat(jdbc.queryForObject("SELECT sum(total_calls)::int FROM agent_analytics WHERE agent_id = ?",
                Integer.class, agent)).isEqualTo(25);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                Integer.class, user.id())).isEqualTo(50);
        assertInvariant();
    }

    private String outboundCall(int minutesAgo) {
        return outboundCall(minutesAgo, agent);
    }

    private String outboundCall(int minutesAgo, UUID agentId) {
        String execution = "exec-" + UUID.randomUUID();
        jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, created_at) "
                + "VALUES (?, ?, ?, '+14155550111', ?)", user.id(), agentId, execution,
                Timestamp.from(Instant.now().minus(minutesAgo, ChronoUnit.MINUTES)));
        return execution;
    }

    private String event(String execution, String status, int seconds, String transcript) {
        String agentId = jdbc.queryForList("SELECT a.bolna_agent_id FROM calls c JOIN agents a ON a.id = c.agent_id "
                + "WHERE c.bolna_execution_id = ?", String.class, execution).stream().findFirst().orElse(bolnaAgent);
        return """
                {"id":"%s","agent_id":"%s","status":"%s","created_at":"2026-11-25T10:00:00.000Z",
                 "updated_at":"%s","conversation_duration":%s,"total_cost":%s,"transcript":%s,
                 "context_details":{"recipient_phone_number":"+14155550111"},
                 "telephony_data":{"duration":"%s","to_number":"+14155550111","from_number":"+14155550111",
                   "recording_url":%s,"call_type":"outbound","provider":"twilio","hangup_by":"Callee",
                   "hangup_reason":"normal","hangup_provider_code":4000},
                 "cost_breakdown":{"llm":0.1},"some_new_field":{"x":1}}"""
                .formatted(execution, agentId, status, Instant.now(), seconds == 0 ? "null" : seconds + ".4",
                        seconds == 0 ? "0" : "1.2", transcript.isEmpty() ? "null" : "\"" + transcript.replace("\n", "\\n") + "\"",
                        seconds == 0 ? "" : String.valueOf(seconds),
                        seconds == 0 ? "null" : "\"https://rec.example/" + execution + ".mp3\"");
    }

    /** Posts a delivery and, when it was accepted, waits until a worker has processed it. */
    private Http.Response post(String body) {
        Http.Response response = http.post("/api/webhooks/bolna?token=" + SECRET, body);
        if (response.status() == 200) {
            String eventId = response.json().path("eventId").asString();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                    !"received".equals(jdbc.queryForObject("SELECT state FROM bolna_webhook_events WHERE id = ?::uuid",
                            String.class, eventId)));
        }
        return response;
    }

    /** Runs {@code action} while the sequence test_call_writes counts the UPDATEs of the execution's call. */
    private <T> T whileWritesOfTheCallAreCounted(String execution, Supplier<T> action) {
        jdbc.execute("CREATE SEQUENCE test_call_writes");
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_count_call_write() RETURNS trigger AS $$
                BEGIN PERFORM nextval('test_call_writes'); RETURN NULL; END; $$ LANGUAGE plpgsql""");
        jdbc.execute("CREATE TRIGGER test_count_call_write AFTER UPDATE ON calls FOR EACH ROW "
                + "WHEN (NEW.bolna_execution_id = '" + execution + "') EXECUTE FUNCTION test_count_call_write()");
        try {
            return action.get();
        } finally {
            jdbc.execute("DROP TRIGGER test_count_call_write ON calls");
            jdbc.execute("DROP FUNCTION test_count_call_write()");
            jdbc.execute("DROP SEQUENCE test_call_writes");
        }
    }

    /** How many UPDATEs of the call {@link #whileWritesOfTheCallAreCounted} has counted so far. */
    private long callWritesCounted() {
        return jdbc.queryForObject("SELECT last_value - 1 + CASE WHEN is_called THEN 1 ELSE 0 END FROM test_call_writes",
                Long.class);
    }

    /** Runs {@code action} while every UPDATE of the execution's call fails (an injected storage fault). */
    private <T> T whileUpdatesOfTheCallFail(String execution, Supplier<T> action) {
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_fail_call_update() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'injected storage fault'; END; $$ LANGUAGE plpgsql""");
        jdbc.execute("CREATE TRIGGER test_fail_call_update BEFORE UPDATE ON calls FOR EACH ROW "
                + "WHEN (NEW.bolna_execution_id = '" + execution + "') EXECUTE FUNCTION test_fail_call_update()");
        try {
            return action.get();
        } finally {
            jdbc.execute("DROP TRIGGER test_fail_call_update ON calls");
        }
    }

    private Map<String, Object> call(String execution) {
        return jdbc.queryForMap("SELECT * FROM calls WHERE bolna_execution_id = ?", execution);
    }

    private List<Integer> usage(String execution) {
        return jdbc.queryForList("SELECT t.amount FROM credit_transactions t JOIN calls c ON c.id = t.call_id "
                + "WHERE c.bolna_execution_id = ? AND t.type = 'usage'", Integer.class, execution);
    }

    private long events() {
        return jdbc.queryForObject("SELECT count(*) FROM bolna_webhook_events", Long.class);
    }

    private void assertInvariant() {
        assertThat(jdbc.queryForList("SELECT inconsistent_records FROM validate_user_data_consistency() "
                + "WHERE check_name LIKE 'credits_%'", Long.class)).containsOnly(0L);
    }
}
