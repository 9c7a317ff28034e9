package ai.calling.lead;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.json.JsonMapper;

/** From a Bolna webhook with a transcript to lead analyses, against a fake OpenAI Responses API. */
@IntegrationTest
class LeadAnalysisTest {

    static final WireMockServer OPENAI = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        OPENAI.start();
    }

    @DynamicPropertySource
    static void openAi(DynamicPropertyRegistry registry) {
        registry.add("app.openai.api-key", () -> "sk-test");
        registry.add("app.openai.base-url", () -> OPENAI.baseUrl() + "/v1");
        registry.add("app.openai.individual-prompt-id", () -> "pmpt_individual");
        registry.add("app.openai.complete-prompt-id", () -> "pmpt_complete");
        registry.add("app.bolna.webhook-secret", () -> "lead-secret");
        registry.add("app.lead-analysis.retry-base", () -> "100ms");
        // this context's connections are told apart from other contexts' in pg_stat_activity
        registry.add("spring.datasource.hikari.data-source-properties.ApplicationName", () -> "lead-analysis-test");
    }

    @AfterAll
    static void stop() {
        OPENAI.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadAnalysisService analyses;

    @Autowired
    TransactionTemplate transactions;

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
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'A')", agent, user.id(),
                bolnaAgent);
        OPENAI.resetAll();
    }

    @Test
    void aTranscribedCallGetsIndividualAndCompleteAnalysesCtaCountersAndANotification() {
        stub("pmpt_individual", analysis(82, "Hot", true, "Asha wants pricing for 3 outlets"));
        stub("pmpt_complete", analysis(75, "Warm", false, null));
        String phone = "+14155550" + (100 + (int) (Math.random() * 800));

        String execution = completedCall(phone);

        awaitAnalysis(execution, "completed");
        Map<String, Object> individual = jdbc.queryForMap("SELECT * FROM lead_analytics l JOIN calls c ON c.id = l.call_id "
                + "WHERE c.bolna_execution_id = ? AND l.analysis_type = 'individual'", execution);
        assertThat(individual).containsEntry("total_score", 82).containsEntry("lead_status_tag", "Hot")
                .containsEntry("cta_pricing_clicked", true).containsEntry("is_read", false);
        assertThat(jdbc.queryForObject("SELECT total_score FROM lead_analytics WHERE user_id = ? AND phone_number = ? "
                + "AND analysis_type = 'complete'", Integer.class, user.id(), phone)).isEqualTo(75);
        assertThat(jdbc.queryForObject("SELECT sum(cta_pricing_clicks)::int FROM agent_analytics WHERE agent_id = ?",
                Integer.class, agent)).isOne();
        Http.Response notifications = http.get("/api/notifications", user.auth());
        assertThat(notifications.json().path("unreadCount").asLong()).isOne();
        assertThat(notifications.json().path("items").path(0).path("message").asString())
                .isEqualTo("Asha wants pricing for 3 outlets");
        Map<String, Object> contact = jdbc.queryForMap("SELECT name, email, company FROM contacts WHERE user_id = ? "
                + "AND phone_number = ?", user.id(), phone);
        assertThat(contact).containsEntry("email", "asha@example.com").containsEntry("company", "Rao Foods");
    }

    @Test
    void eachEndedCallGetsOneOutcomeWhichItsAnalysisCompletes() {
        stub("pmpt_individual", analysis(82, "Hot", true, "Asha wants pricing for 3 outlets"));
        stub("pmpt_complete", analysis(75, "Warm", false, null));
        String phone = "+14155553" + (100 + (int) (Math.random() * 800));
        String answered = completedCall(phone);
        awaitAnalysis(answered, "completed");
        endedCall("+14155554100", "busy", false);
        endedCall("+14155554101", "no-answer", false);
        endedCall("+14155554102", "completed", true);
        String replayed = """
                {"id":"%s","agent_id":"%s","status":"completed","updated_at":"%s","conversation_duration":65,
                 "telephony_data":{"duration":"65","to_number":"%s","call_type":"outbound"}}"""
                .formatted(answered, bolnaAgent, Instant.now(), phone);
        assertThat(http.post("/api/webhooks/bolna?token=lead-secret", replayed).status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM bolna_webhook_events e JOIN calls c ON c.bolna_execution_id = e.execution_id "
                        + "WHERE c.agent_id = ? AND e.state = 'processed'", Integer.class, agent)).isEqualTo(5));

        Http.Response outcomes = http.get("/api/analytics/agents/" + agent + "/outcomes", user.auth());

        assertThat(outcomes.status()).isEqualTo(200);
        assertThat(outcomes.json().path("calls").asInt()).isEqualTo(4);
        assertThat(JSON.convertValue(outcomes.json().path("outcomes"), Map.class)).isEqualTo(Map.of("completed", 1,
                "no_answer", 1, "busy", 1, "failed", 0, "voicemail", 1, "disconnected", 0));
        assertThat(outcomes.json().path("qualifiedLeads").asInt()).isOne();
        assertThat(outcomes.json().path("leadTemperature").path("hot").asInt()).isOne();
        assertThat(jdbc.queryForMap("SELECT o.outcome, o.is_qualified_lead, o.lead_temperature, o.next_steps "
                + "FROM agent_call_outcomes o JOIN calls c ON c.id = o.call_id WHERE c.bolna_execution_id = ?", answered))
                .containsEntry("outcome", "completed").containsEntry("is_qualified_lead", true)
                .containsEntry("lead_temperature", "hot").containsEntry("next_steps", "Asha wants pricing for 3 outlets");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent_call_outcomes WHERE agent_id = ?", Integer.class, agent))
                .isEqualTo(4);
        assertThat(http.get("/api/analytics/agents/" + agent + "/outcomes?from=2026-02-01&to=2026-01-01", user.auth())
                .status()).isEqualTo(400);
    }

    private void endedCall(String phone, String status, boolean voicemail) {
        String execution = "exec-" + UUID.randomUUID();
        jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number) VALUES (?, ?, ?, ?)",
                user.id(), agent, execution, phone);
        String body = """
                {"id":"%s","agent_id":"%s","status":"%s","updated_at":"%s","answered_by_voice_mail":%s,
                 "telephony_data":{"duration":"%s","to_number":"%s","call_type":"outbound"}}"""
                .formatted(execution, bolnaAgent, status, Instant.now(), voicemail, voicemail ? "20" : "0", phone);
        assertThat(http.post("/api/webhooks/bolna?token=lead-secret", body).status()).isEqualTo(200);
    }

    /**
     * A job claimed by a worker that stopped before finishing it (its instance killed or redeployed) was left
     * running for ever: its lead never analysed, its transcript "processing". After an hour it is put back and
     * analysed, or failed when it has had all its attempts; one claimed a minute ago is left to its worker.
     */
    @Test
    void aJobLeftRunningByAStoppedWorkerIsPutBackAndAnalysed() {
        stub("pmpt_individual", analysis(82, "Hot", true, "Asha wants pricing for 3 outlets"));
        stub("pmpt_complete", analysis(75, "Warm", false, null));
        String phone = "+14155550" + (100 + (int) (Math.random() * 800));
        String abandoned = completedCall(phone);
        awaitAnalysis(abandoned, "completed");
        String outOfTries = completedCall(phone);
        awaitAnalysis(outOfTries, "completed");
        String recent = completedCall(phone);
        awaitAnalysis(recent, "completed");
        transactions.executeWithoutResult(status -> {
            // as the stopped worker left them (updated_at as it was then: the row trigger is skipped for this)
            jdbc.execute("SET LOCAL session_replication_role = replica");
            for (Object[] job : List.<Object[]>of(new Object[] { abandoned, 1, "2 hours" },
                    new Object[] { outOfTries, 5, "2 hours" }, new Object[] { recent, 1, "1 minute" })) {
                jdbc.update("UPDATE lead_analysis_jobs j SET state = 'running', attempts = ?, updated_at = now() - ?::interval "
                        + "FROM calls c WHERE c.id = j.call_id AND c.bolna_execution_id = ?", job[1], job[2], job[0]);
                jdbc.update("UPDATE transcripts t SET analysis_status = 'processing' FROM calls c WHERE c.id = t.call_id "
                        + "AND c.bolna_execution_id = ?", job[0]);
            }
        });

        assertThat(analyses.requeueAbandoned()).isEqualTo(2);

        awaitAnalysis(abandoned, "completed");
        assertThat(jobState(abandoned)).isEqualTo("done");
        assertThat(jobState(outOfTries)).isEqualTo("failed");
        assertThat(jdbc.queryForObject("SELECT t.analysis_status FROM transcripts t JOIN calls c ON c.id = t.call_id "
                + "WHERE c.bolna_execution_id = ?", String.class, outOfTries)).isEqualTo("failed");
        assertThat(jobState(recent)).isEqualTo("running");
        assertThat(analyses.requeueAbandoned()).isZero();
    }

    /**
     * The owner closes the account while OpenAI answers an analysis: the analysis writes nothing (its job failed by
     * the closure), so the lead data and the contact's name the closure erased stay erased.
     */
    @Test
    void anAnalysisRunningWhileItsAccountIsClosedWritesNothing() {
        stub("pmpt_individual", analysis(82, "Hot", true, "Asha wants pricing for 3 outlets"));
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_complete"))
                .willReturn(response(analysis(75, "Warm", false, null)).withFixedDelay(2500)));
        String phone = "+14155550" + (100 + (int) (Math.random() * 800));
        String execution = completedCall(phone);
        awaitAnalysis(execution, "processing");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> OPENAI.findAll(postRequestedFor(
                urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_complete"))).size() == 1);

        assertThat(http.send("DELETE", "/api/auth/me", "application/json",
                "{\"password\":\"" + TestUsers.PASSWORD + "\"}", user.auth()).status()).isEqualTo(204);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("SELECT count(*) FROM "
                + "lead_analysis_jobs WHERE user_id = ? AND state = 'running'", Long.class, user.id()) == 0);
        // the worker's answer has come and gone: OpenAI's delay is over, and nothing more will be written
        Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(jobState(execution)).isEqualTo("failed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_analytics WHERE user_id = ? AND (extracted_name IS NOT NULL "
                + "OR extracted_email IS NOT NULL OR company_name IS NOT NULL OR smart_notification IS NOT NULL)",
                Long.class, user.id())).isZero();
        assertThat(jdbc.queryForList("SELECT name FROM contacts WHERE user_id = ? AND phone_number = ?", String.class,
                user.id(), phone)).containsOnlyNulls();
    }

    /**
     * Asked to run again while it runs: refused (409) rather than a second paid run beside it (or the 202 that
     * queued nothing, as before); asked once it has ended, it runs again with the prompt as it is now.
     */
    @Test
    void anAnalysisAskedForAgainWhileItRunsIsRefusedAndRunsAgainOnceEnded() {
        stub("pmpt_individual", analysis(82, "Hot", true, "Asha wants pricing for 3 outlets"));
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_complete"))
                .inScenario("prompt").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("changed")
                .willReturn(response(analysis(40, "Cold", false, null)).withFixedDelay(2500)));
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_complete"))
                .inScenario("prompt").whenScenarioStateIs("changed")
                .willReturn(response(analysis(90, "Hot", false, null))));
        String phone = "+14155550" + (100 + (int) (Math.random() * 800));
        String execution = completedCall(phone);
        awaitAnalysis(execution, "processing");
        UUID call = jdbc.queryForObject("SELECT id FROM calls WHERE bolna_execution_id = ?", UUID.class, execution);

        Http.Response whileRunning = http.post("/api/calls/" + call + "/analysis/retry", "", user.auth());

        assertThat(whileRunning.status()).isEqualTo(409);
        awaitAnalysis(execution, "completed");
        assertThat(http.post("/api/calls/" + call + "/analysis/retry", "", user.auth()).status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(jobState(execution))
                && OPENAI.findAll(postRequestedFor(urlPathEqualTo("/v1/responses"))
                        .withRequestBody(containing("pmpt_complete"))).size() == 2);
        assertThat(jdbc.queryForObject("SELECT total_score FROM lead_analytics WHERE user_id = ? AND phone_number = ? "
                + "AND analysis_type = 'complete'", Integer.class, user.id(), phone)).isEqualTo(90);
    }

    private String jobState(String execution) {
        return jdbc.queryForObject("SELECT j.state FROM lead_analysis_jobs j JOIN calls c ON c.id = j.call_id "
                + "WHERE c.bolna_execution_id = ?", String.class, execution);
    }

    @Test
    void aContactNameTheUserEditedIsKept() {
        stub("pmpt_individual", analysis(60, "Warm", false, null));
        stub("pmpt_complete", analysis(60, "Warm", false, null));
        String phone = "+14155551" + (100 + (int) (Math.random() * 800));
        http.post("/api/contacts", Map.of("phoneNumber", phone, "name", "Chosen Name"), user.auth());

        awaitAnalysis(completedCall(phone), "completed");

        assertThat(jdbc.queryForObject("SELECT name FROM contacts WHERE user_id = ? AND phone_number = ?", String.class,
                user.id(), phone)).isEqualTo("Chosen Name");
    }

    @Test
    void tooManyRequestsTwiceThenSuccessCompletes() {
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_individual"))
                .inScenario("busy").whenScenarioStateIs(Scenario.STARTED).willReturn(rateLimited())
                .willSetStateTo("once"));
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_individual"))
                .inScenario("busy").whenScenarioStateIs("once").willReturn(rateLimited()).willSetStateTo("ok"));
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_individual"))
                .inScenario("busy").whenScenarioStateIs("ok").willReturn(response(analysis(70, "Warm", false, null))));
        stub("pmpt_complete", analysis(70, "Warm", false, null));

        awaitAnalysis(completedCall("+14155552" + (100 + (int) (Math.random() * 800))), "completed");
    }

    /** The write of a paid-for analysis that loses a deadlock (raised again by the analytics triggers) is written again, not analysed again. */
    @Test
    void anAnalysisWhoseWriteLosesADeadlockIsWrittenAgainWithoutAskingOpenAiAgain() {
        stub("pmpt_individual", analysis(82, "Hot", true, null));
        stub("pmpt_complete", analysis(75, "Warm", false, null));
        // this account's first individual analysis fails once as a deadlock would (a sequence is not rolled back)
        String suffix = user.id().toString().replace("-", "");
        jdbc.execute("CREATE SEQUENCE deadlock_once_" + suffix);
        jdbc.execute("""
                CREATE FUNCTION deadlock_once_%1$s() RETURNS trigger AS $$
                BEGIN
                    IF NEW.user_id = '%2$s' AND NEW.analysis_type = 'individual' AND nextval('deadlock_once_%1$s') = 1 THEN
                        RAISE EXCEPTION 'deadlock detected (simulated)' USING ERRCODE = '40P01';
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql""".formatted(suffix, user.id()));
        jdbc.execute("CREATE TRIGGER deadlock_once_%1$s BEFORE INSERT ON lead_analytics FOR EACH ROW EXECUTE FUNCTION deadlock_once_%1$s()"
                .formatted(suffix));
        try {
            String execution = completedCall("+14155554" + (100 + (int) (Math.random() * 800)));

            awaitAnalysis(execution, "completed");
            assertThat(jdbc.queryForObject("SELECT last_value FROM deadlock_once_" + suffix, Long.class)).isEqualTo(2);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_analytics l JOIN calls c ON c.id = l.call_id "
                    + "WHERE c.bolna_execution_id = ? AND l.analysis_type = 'individual'", Long.class, execution)).isOne();
            OPENAI.verify(1, postRequestedFor(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_individual")));
        } finally {
            jdbc.execute("DROP TRIGGER deadlock_once_%1$s ON lead_analytics".formatted(suffix));
            jdbc.execute("DROP FUNCTION deadlock_once_" + suffix + "()");
            jdbc.execute("DROP SEQUENCE deadlock_once_" + suffix);
        }
    }

    @Test
    void anOpenAiOutageDoesNotStopIngestionAndTheAnalysisCompletesOnceItRecovers() {
        String state = Scenario.STARTED;
        for (int i = 0; i < 5; i++) {
            String next = "outage-" + i;
            OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_individual"))
                    .inScenario("outage").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(500).withBody("{}")).willSetStateTo(next));
            state = next;
        }
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_individual"))
                .inScenario("outage").whenScenarioStateIs(state).willReturn(response(analysis(71, "Warm", false, null))));
        stub("pmpt_complete", analysis(71, "Warm", false, null));

        long started = System.nanoTime();
        String execution = completedCall("+14155557" + (100 + (int) (Math.random() * 800)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

        awaitAnalysis(execution, "completed");
        assertThat(jdbc.queryForObject("SELECT j.attempts FROM lead_analysis_jobs j JOIN calls c ON c.id = j.call_id "
                + "WHERE c.bolna_execution_id = ?", Integer.class, execution)).isEqualTo(2);
    }

    @Test
    void garbageOutputFailsWithTheReasonWritesNothingAndCanBeRetried() {
        stub("pmpt_individual", "this is not json");
        stub("pmpt_complete", analysis(50, "Cold", false, null));
        String execution = completedCall("+14155553" + (100 + (int) (Math.random() * 800)));

        awaitAnalysis(execution, "failed");
        String callId = jdbc.queryForObject("SELECT id::text FROM calls WHERE bolna_execution_id = ?", String.class, execution);
        assertThat(jdbc.queryForObject("SELECT last_error FROM lead_analysis_jobs WHERE call_id = ?::uuid", String.class,
                callId)).contains("not JSON");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_analytics WHERE call_id = ?::uuid", Long.class, callId))
                .isZero();

        OPENAI.resetAll();
        stub("pmpt_individual", analysis(90, "Hot", false, null));
        stub("pmpt_complete", analysis(90, "Hot", false, null));
        assertThat(http.post("/api/calls/" + callId + "/analysis/retry", "", user.auth()).status()).isEqualTo(202);
        awaitAnalysis(execution, "completed");
        SignedIn stranger = TestUsers.register(http);
        assertThat(http.post("/api/calls/" + callId + "/analysis/retry", "", stranger.auth()).status()).isEqualTo(404);
    }

    /** Jobs of one claim that fail are recorded together, each with its own reason. */
    @Test
    void jobsFailingTogetherKeepEachItsOwnReason() {
        stub("pmpt_individual", "this is not json");
        stub("pmpt_complete", analysis(50, "Cold", false, null));
        String execution = completedCall("+14155553" + (100 + (int) (Math.random() * 800)));
        awaitAnalysis(execution, "failed");
        UUID garbled = jdbc.queryForObject("SELECT id FROM calls WHERE bolna_execution_id = ?", UUID.class, execution);
        UUID untranscribed = jdbc.queryForObject("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number) "
                + "VALUES (?, ?, ?, '+14155550999') RETURNING id", UUID.class, user.id(), agent, "exec-" + UUID.randomUUID());
        jdbc.update("INSERT INTO lead_analysis_jobs (user_id, call_id, next_attempt_at) VALUES (?, ?, now() + interval '1 hour')",
                user.id(), untranscribed);
        jdbc.update("UPDATE lead_analysis_jobs SET state = 'queued', attempts = 0, next_attempt_at = now() "
                + "WHERE call_id IN (?, ?)", garbled, untranscribed);

        analyses.runDue();

        assertThat(jdbc.queryForMap("SELECT state, last_error FROM lead_analysis_jobs WHERE call_id = ?", garbled))
                .containsEntry("state", "failed").hasEntrySatisfying("last_error", error -> assertThat((String) error)
                        .contains("not JSON"));
        assertThat(jdbc.queryForMap("SELECT state, last_error FROM lead_analysis_jobs WHERE call_id = ?", untranscribed))
                .containsEntry("state", "failed").containsEntry("last_error", "The call has no transcript");
    }

    @Test
    void scoresOutOfRangeFailTheJob() {
        stub("pmpt_individual", analysis(140, "Hot", false, null));
        stub("pmpt_complete", analysis(50, "Cold", false, null));

        awaitAnalysis(completedCall("+14155554" + (100 + (int) (Math.random() * 800))), "failed");
    }

    @Test
    void theUsersOwnPromptWinsOverTheSystemDefault() {
        stub("pmpt_individual", analysis(50, "Cold", false, null));
        stub("pmpt_complete", analysis(50, "Cold", false, null));
        jdbc.update("UPDATE users SET openai_individual_prompt_id = 'pmpt_users_own' WHERE id = ?", user.id());
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_users_own"))
                .willReturn(response(analysis(33, "Cold", false, null))));
        String execution = completedCall("+14155555" + (100 + (int) (Math.random() * 800)));

        awaitAnalysis(execution, "completed");

        assertThat(jdbc.queryForObject("SELECT l.total_score FROM lead_analytics l JOIN calls c ON c.id = l.call_id "
                + "WHERE c.bolna_execution_id = ? AND l.analysis_type = 'individual'", Integer.class, execution))
                .as("the user's own prompt wins over the default").isEqualTo(33);
    }

    @Test
    void anOverLongPromptIdIsRefusedBeforeOpenAiIsAsked() {
        String longId = "pmpt_" + "a".repeat(251);
        assertThat(http.post("/api/openai-prompts/validate", Map.of("promptId", longId), user.auth()).status())
                .isEqualTo(400);
        assertThat(http.put("/api/openai-prompts/my-prompts", Map.of("individualPromptId", longId), user.auth())
                .status()).isEqualTo(400);
        OPENAI.verify(0, postRequestedFor(urlPathEqualTo("/v1/responses")).withRequestBody(containing(longId)));
    }

    /**
     * OpenAI answering slowly: while it is asked about a prompt id (the user's PUT, an admin's PATCH of the
     * account), the server holds no transaction open.
     */
    @Test
    void promptIdsAreCheckedAtOpenAiWithNoTransactionOpen() throws Exception {
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_slow"))
                .willReturn(response("ok").withFixedDelay(1500)));
        SignedIn admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 2; round++) {
                String promptId = "pmpt_slow_" + round;
                var answer = client.submit(() -> round(promptId, admin));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !OPENAI.findAll(
                        postRequestedFor(urlPathEqualTo("/v1/responses")).withRequestBody(containing(promptId))).isEmpty());
                Thread.sleep(700);
                // the backends of this context's pool that hold a transaction open (other contexts and autovacuum
                // share the database: only this pool's connections are looked at)
                assertThat(jdbc.queryForObject("""
                        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                           AND backend_type = 'client backend' AND application_name = ?
                           AND xact_start < now() - interval '500 milliseconds'""", Long.class,
                        jdbc.queryForObject("SELECT current_setting('application_name')", String.class)))
                        .as("transactions open while OpenAI answers").isZero();
                assertThat(answer.get().status()).isEqualTo(200);
            }
        } finally {
            client.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT openai_complete_prompt_id FROM users WHERE id = ?", String.class,
                user.id())).isEqualTo("pmpt_slow_1");
    }

    /** Round 0: the user's own PUT; round 1: an admin's PATCH of the user's account. */
    private Http.Response round(String promptId, SignedIn admin) {
        return promptId.endsWith("0")
                ? http.put("/api/openai-prompts/my-prompts", Map.of("individualPromptId", promptId), user.auth())
                : http.patch("/api/admin/users/" + user.id(), Map.of("completePromptId", promptId), admin.auth());
    }

    @Test
    void promptIdsAreCheckedAgainstOpenAiBeforeTheyAreSaved() {
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_good"))
                .willReturn(response("ok")));
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_missing"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Prompt not found\",\"type\":\"invalid_request_error\"}}")));

        assertThat(http.put("/api/openai-prompts/my-prompts", Map.of("individualPromptId", "prompt-1"), user.auth())
                .status()).isEqualTo(400);
        assertThat(http.put("/api/openai-prompts/my-prompts", Map.of("individualPromptId", "pmpt_missing"), user.auth())
                .status()).isEqualTo(422);
        assertThat(jdbc.queryForObject("SELECT openai_individual_prompt_id FROM users WHERE id = ?", String.class,
                user.id())).isNull();
        Http.Response check = http.post("/api/openai-prompts/validate", Map.of("promptId", "pmpt_good"), user.auth());
        assertThat(check.json().path("valid").asBoolean()).isTrue();
        assertThat(check.json().path("model").asString()).isEqualTo("gpt-4o-mini");

        Http.Response saved = http.put("/api/openai-prompts/my-prompts", Map.of("individualPromptId", "pmpt_good"),
                user.auth());
        assertThat(saved.status()).isEqualTo(200);
        assertThat(http.get("/api/openai-prompts/my-prompts", user.auth()).json().path("individualPromptId").asString())
                .isEqualTo("pmpt_good");
        assertThat(http.get("/api/openai-prompts/admin/users/" + user.id() + "/prompts", user.auth()).status())
                .isEqualTo(403);
        SignedIn admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
        Map<String, Object> clear = new HashMap<>();
        clear.put("individualPromptId", null);
        assertThat(http.put("/api/openai-prompts/admin/users/" + user.id() + "/prompts", clear, admin.auth()).status())
                .isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT openai_individual_prompt_id FROM users WHERE id = ?", String.class,
                user.id())).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM admin_audit_log WHERE target_user_id = ? "
                + "AND action = 'openai_prompts.changed'", Long.class, user.id())).isOne();
    }

    @Test
    void anAdminPatchesAnAccountsStatusAndPromptsAllOrNothing() {
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_admin_good"))
                .willReturn(response("ok")));
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing("pmpt_admin_missing"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Prompt not found\",\"type\":\"invalid_request_error\"}}")));
        SignedIn admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
        String path = "/api/admin/users/" + user.id();

        assertThat(http.patch(path, Map.of("active", false), user.auth()).status()).isEqualTo(403);
        assertThat(http.patch(path, Map.of(), admin.auth()).status()).isEqualTo(400);
        Http.Response refused = http.patch(path, Map.of("isActive", false, "completePromptId", "pmpt_admin_missing"),
                admin.auth());
        assertThat(refused.status()).isEqualTo(422);
        assertThat(jdbc.queryForMap("SELECT is_active, openai_complete_prompt_id FROM users WHERE id = ?", user.id()))
                .containsEntry("is_active", true).containsEntry("openai_complete_prompt_id", null);

        Http.Response patched = http.patch(path, Map.of("isActive", false, "completePromptId", "pmpt_admin_good"),
                admin.auth());

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("active").asBoolean()).isFalse();
        assertThat(patched.json().path("completePromptId").asString()).isEqualTo("pmpt_admin_good");
        assertThat(patched.json().path("individualPromptId").isNull()).isTrue();
        assertThat(http.get(path, admin.auth()).json().path("completePromptId").asString()).isEqualTo("pmpt_admin_good");
        assertThat(jdbc.queryForList("SELECT action FROM admin_audit_log WHERE target_user_id = ? ORDER BY created_at",
                String.class, user.id())).containsExactlyInAnyOrder("openai_prompts.changed", "user.deactivated");
        assertThat(http.patch(path, Map.of("completePromptId", ""), admin.auth()).json().path("completePromptId")
                .isNull()).isTrue();
    }

    /**
     * A worker told to stop (a deploy) finishes the analysis in hand, claims no more, and puts back at once the jobs
     * it claimed but had not begun, their attempt not counted: they used to wait, claimed, for the hourly sweep.
     */
    @Test
    void aStoppingWorkerPutsBackTheJobsItClaimedButHadNotBegun() {
        stub("pmpt_individual", analysis(61, "Warm", false, null));
        stub("pmpt_complete", analysis(64, "Warm", false, null));
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID call = UUID.randomUUID();
            jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status) "
                    + "VALUES (?, ?, ?, ?, ?, 'completed')", call, user.id(), agent, "exec-" + call, "+1415555770" + i);
            jdbc.update("INSERT INTO transcripts (call_id, user_id, content) VALUES (?, ?, 'user: hi')", call, user.id());
            // due long ago: claimed before any job other tests left queued
            jobs.add(jdbc.queryForObject("INSERT INTO lead_analysis_jobs (user_id, call_id, next_attempt_at) "
                    + "VALUES (?, ?, timestamptz '2000-01-01' + make_interval(days => ?)) RETURNING id", UUID.class,
                    user.id(), call, i));
        }

        Object ids = jobs.toArray(UUID[]::new);
        // told to stop once one of them is done (a claim's jobs come back from the database in no set order)
        int ran = analyses.runDue(() -> jdbc.queryForObject("SELECT count(*) FROM lead_analysis_jobs WHERE id = ANY(?) "
                + "AND state = 'done'", Long.class, ids) > 0);

        assertThat(ran).isPositive();
        List<Map<String, Object>> states = jdbc.queryForList("SELECT state, attempts, claim FROM lead_analysis_jobs "
                + "WHERE id = ANY(?) ORDER BY state", ids);
        assertThat(states.getFirst()).containsEntry("state", "done").containsEntry("attempts", 1);
        assertThat(states.subList(1, 3)).allSatisfy(job -> assertThat(job).containsEntry("state", "queued")
                .containsEntry("attempts", 0).containsEntry("claim", null));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM transcripts t JOIN lead_analysis_jobs j ON j.call_id = t.call_id "
                + "WHERE j.id = ANY(?) AND t.analysis_status = 'processing'", Long.class, ids)).isZero();
        // the next run takes them
        analyses.runDue();
        assertThat(jdbc.queryForList("SELECT state FROM lead_analysis_jobs WHERE id = ANY(?)", String.class, ids))
                .containsOnly("done");
    }

    @Test
    void theCompleteRowStaysSingleUnderTwoConcurrentAnalysesOfOneNumber() throws Exception {
        stub("pmpt_individual", analysis(61, "Warm", false, null));
        stub("pmpt_complete", analysis(64, "Warm", false, null));
        String phone = "+14155556" + (100 + (int) (Math.random() * 800));
        for (int i = 0; i < 2; i++) {
            UUID call = UUID.randomUUID();
            jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status) "
                    + "VALUES (?, ?, ?, ?, ?, 'completed')", call, user.id(), agent, "exec-" + call, phone);
            jdbc.update("INSERT INTO transcripts (call_id, user_id, content) VALUES (?, ?, 'user: hi')", call, user.id());
            jdbc.update("INSERT INTO lead_analysis_jobs (user_id, call_id) VALUES (?, ?)", user.id(), call);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> analyses.runDue());
            var second = pool.submit(() -> analyses.runDue());
            first.get();
            second.get();
        } finally {
            pool.shutdown();
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM lead_analysis_jobs j JOIN calls c ON c.id = j.call_id WHERE c.phone_number = ? "
                        + "AND j.state = 'done'", Long.class, phone)).isEqualTo(2));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_analytics WHERE user_id = ? AND phone_number = ? "
                + "AND analysis_type = 'complete'", Long.class, user.id(), phone)).isOne();
    }

    private String completedCall(String phone) {
        String execution = "exec-" + UUID.randomUUID();
        jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number) VALUES (?, ?, ?, ?)",
                user.id(), agent, execution, phone);
        String body = """
                {"id":"%s","agent_id":"%s","status":"completed","updated_at":"%s","conversation_duration":65,
                 "transcript":"assistant: Hello from Rao Foods support.\\nuser: What does it cost for 3 outlets?",
                 "telephony_data":{"duration":"65","to_number":"%s","call_type":"outbound","hangup_by":"Callee"}}"""
                .formatted(execution, bolnaAgent, Instant.now(), phone);
        Http.Response response = http.post("/api/webhooks/bolna?token=lead-secret", body);
        assertThat(response.status()).isEqualTo(200);
        return execution;
    }

    private void awaitAnalysis(String execution, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(jdbc.queryForList("SELECT t.analysis_status FROM transcripts t JOIN calls c ON c.id = t.call_id "
                        + "WHERE c.bolna_execution_id = ?", String.class, execution)).containsExactly(status));
    }

    private static void stub(String promptId, String modelText) {
        OPENAI.stubFor(post(urlPathEqualTo("/v1/responses")).withRequestBody(containing(promptId))
                .willReturn(response(modelText)));
    }

    private static ResponseDefinitionBuilder rateLimited() {
        return aResponse().withStatus(429).withHeader("Content-Type", "application/json").withHeader("retry-after-ms", "10")
                .withBody("{\"error\":{\"message\":\"Rate limit\",\"type\":\"rate_limit_exceeded\"}}");
    }

    private static ResponseDefinitionBuilder response(String modelText) {
        String body = JSON.writeValueAsString(Map.of("id", "resp_test", "object", "response", "created_at", 1_700_000_000,
                "status", "completed", "model", "gpt-4o-mini", "output", List.of(Map.of("type", "message",
                        "id", "msg_1", "status", "completed", "role", "assistant", "content", List.of(
                                Map.of("type", "output_text", "text", modelText, "annotations", List.of()))))));
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String analysis(int total, String tag, boolean pricing, String notification) {
        Map<String, Object> extraction = new HashMap<>(Map.of("name", "Asha Rao", "email", "asha@example.com",
                "company_name", "Rao Foods"));
        if (notification != null) {
            extraction.put("smart_notification", notification);
        }
        return JSON.writeValueAsString(Map.ofEntries(Map.entry("intent_level", "high"), Map.entry("intent_score", 80),
                Map.entry("urgency_level", "medium"), Map.entry("urgency_score", 60),
                Map.entry("budget_constraint", "flexible"), Map.entry("budget_score", 70),
                Map.entry("fit_alignment", "strong"), Map.entry("fit_score", 85),
                Map.entry("engagement_health", "good"), Map.entry("engagement_score", 75),
                Map.entry("total_score", total), Map.entry("lead_status_tag", tag.toUpperCase()),
                Map.entry("reasoning", Map.of("intent", "asked for prices")),
                Map.entry("cta_interactions", Map.of("pricing_clicked", pricing, "demo_clicked", false)),
                Map.entry("extraction", extraction), Map.entry("unknown_extra", 1)));
    }
}
