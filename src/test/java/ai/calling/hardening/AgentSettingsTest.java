package ai.calling.hardening;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 20, points 5 and 6, against a fake Bolna: tenants choose only allow-listed agent settings
 * within their ranges; an edit is validated in full before Bolna is called and undone at Bolna when
 * our own write fails; {@code /sync} compares every field we send.
 */
@IntegrationTest
class AgentSettingsTest {

    static final WireMockServer BOLNA = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        BOLNA.start();
    }

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.api-key", () -> "bn-settings-key");
        registry.add("app.bolna.base-url", BOLNA::baseUrl);
        registry.add("app.bolna.webhook-secret", () -> "settings-secret");
        registry.add("app.public-base-url", () -> "https://api.example.test");
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
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        BOLNA.resetAll();
        BOLNA.stubFor(post(urlPathEqualTo("/v2/agent")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"agent_id\":\"" + UUID.randomUUID() + "\",\"status\":\"created\"}")));
        BOLNA.stubFor(patch(urlPathMatching("/v2/agent/.*")).willReturn(aResponse().withStatus(200)));
        BOLNA.stubFor(put(urlPathMatching("/v2/agent/.*")).willReturn(aResponse().withStatus(200)));
    }

    // --- point 5 ---------------------------------------------------------------------------------

    @Test
    void settingsOutsideTheAllowListOrTheirRangesAre400AndNothingReachesBolna() {
        Http.Response answer = http.post("/api/agents", agent("Blind", Map.of(
                "base_url", "http://169.254.169.254/latest/meta-data", "max_tokens", 100_000, "provider", "custom"),
                Map.of("call_terminate", 86_400, "hangup_after_silence", 0)), user.auth());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").findValuesAsString("field")).containsExactlyInAnyOrder(
                "llmConfig.base_url", "llmConfig.max_tokens", "llmConfig.provider", "taskConfig.call_terminate",
                "taskConfig.hangup_after_silence");
        BOLNA.verify(0, anyRequestedFor(anyUrl()));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agents WHERE user_id = ?", Long.class, user.id())).isZero();
    }

    @Test
    void allowedSettingsWithinTheirRangesAreForwarded() {
        Http.Response answer = http.post("/api/agents", agent("Tuned", Map.of("model", "gpt-4.1-mini", "max_tokens", 300,
                "temperature", 0.7), Map.of("hangup_after_silence", 20, "backchanneling", true)), user.auth());

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode sent = JSON.readTree(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/v2/agent"))).getFirst().getBodyAsString());
        JsonNode task = sent.path("agent_config").path("tasks").get(0);
        JsonNode llm = task.path("tools_config").path("llm_agent").path("llm_config");
        assertThat(llm.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(llm.path("model").asString()).isEqualTo("gpt-4.1-mini");
        assertThat(llm.has("base_url")).isFalse();
        assertThat(task.path("task_config").path("hangup_after_silence").asInt()).isEqualTo(20);
    }

    // --- point 6 ---------------------------------------------------------------------------------

    @Test
    void anEditIsValidatedInFullBeforeBolnaIsCalled() {
        String id = created("Validated").path("id").asString();
        BOLNA.resetRequests();

        for (Map<String, Object> edit : List.<Map<String, Object>>of(Map.of("name", "   "), Map.of("systemPrompt", "\n\t"),
                Map.of("welcomeMessage", " "), Map.of("voiceConfig", Map.of("blob", "v".repeat(5000))))) {
            Http.Response answer = http.patch("/api/agents/" + id, edit, user.auth());
            assertThat(answer.status()).as(edit.keySet().toString()).isEqualTo(400);
        }

        BOLNA.verify(0, anyRequestedFor(anyUrl()));
        assertThat(http.get("/api/agents/" + id, user.auth()).json().path("name").asString()).isEqualTo("Validated");
    }

    @Test
    void whenOurWriteFailsAfterBolnasBolnaIsPutBack() {
        JsonNode agent = created("Before");
        String id = agent.path("id").asString();
        String bolnaId = agent.path("bolnaAgentId").asString();
        String trigger = "test_fail_agent_" + id.replace("-", "");
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_fail_agent_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected fault'; END $$""");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE UPDATE ON agents FOR EACH ROW WHEN (OLD.id = '" + id
                + "') EXECUTE FUNCTION test_fail_agent_update()");
        BOLNA.resetRequests();
        try {
            Http.Response answer = http.patch("/api/agents/" + id, Map.of("name", "After", "systemPrompt", "Be rude."),
                    user.auth());

            assertThat(answer.status()).isGreaterThanOrEqualTo(500);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        } finally {
            jdbc.execute("DROP TRIGGER " + trigger + " ON agents");
        }
        List<LoggedRequest> patches = BOLNA.findAll(patchRequestedFor(urlPathEqualTo("/v2/agent/" + bolnaId)));
        assertThat(patches).hasSize(2);
        JsonNode change = JSON.readTree(patches.get(0).getBodyAsString());
        JsonNode undo = JSON.readTree(patches.get(1).getBodyAsString());
        assertThat(change.path("agent_config").path("agent_name").asString()).isEqualTo("After");
        assertThat(undo.path("agent_config").path("agent_name").asString()).isEqualTo("Before");
        assertThat(undo.path("agent_prompts").path("task_1").path("system_prompt").asString()).isEqualTo("Be brief.");
        assertThat(http.get("/api/agents/" + id, user.auth()).json().path("name").asString()).isEqualTo("Before");
    }

    @Test
    void syncComparesEveryFieldWeSendAndRepairsWhatDrifted() {
        JsonNode agent = created("Synced");
        String id = agent.path("id").asString();
        String bolnaId = agent.path("bolnaAgentId").asString();
        JsonNode sent = JSON.readTree(BOLNA.findAll(postRequestedFor(urlPathEqualTo("/v2/agent"))).getLast().getBodyAsString());

        // as Bolna has it: nothing drifted
        bolnaHas(bolnaId, asBolnaReturnsIt(sent));
        assertThat(sync(id).path("repaired")).isEmpty();
        BOLNA.verify(0, patchRequestedFor(urlPathMatching("/v2/agent/.*")));
        BOLNA.verify(0, putRequestedFor(urlPathMatching("/v2/agent/.*")));

        // the prompt drifted: PATCH can carry it
        ObjectNode promptDrift = asBolnaReturnsIt(sent);
        ((ObjectNode) promptDrift.path("agent_prompts").path("task_1")).put("system_prompt", "Sell harder.");
        bolnaHas(bolnaId, promptDrift);
        assertThat(sync(id).path("repaired").toString()).isEqualTo("[\"agent_prompts.task_1.system_prompt\"]");
        BOLNA.verify(patchRequestedFor(urlPathEqualTo("/v2/agent/" + bolnaId))
                .withRequestBody(matchingJsonPath("$.agent_prompts.task_1.system_prompt", equalTo("Be brief."))));

        // an LLM setting drifted: only a PUT of the whole configuration can repair it
        ObjectNode llmDrift = asBolnaReturnsIt(sent);
        ((ObjectNode) llmDrift.path("tasks").get(0).path("tools_config").path("llm_agent").path("llm_config"))
                .put("max_tokens", 4000);
        bolnaHas(bolnaId, llmDrift);
        assertThat(sync(id).path("repaired").toString())
                .isEqualTo("[\"tasks[0].tools_config.llm_agent.llm_config.max_tokens\"]");
        BOLNA.verify(putRequestedFor(urlPathEqualTo("/v2/agent/" + bolnaId)).withRequestBody(matchingJsonPath(
                "$.agent_config.tasks[0].tools_config.llm_agent.llm_config.max_tokens", equalTo("150"))));
    }

    private JsonNode sync(String id) {
        Http.Response answer = http.post("/api/agents/" + id + "/sync", "", user.auth());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private void bolnaHas(String bolnaId, JsonNode agent) {
        BOLNA.resetRequests();
        BOLNA.stubFor(get(urlPathEqualTo("/v2/agent/" + bolnaId)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(agent.toString())));
    }

    /** Bolna's GET answer (AgentV2): the agent_config fields at the top, beside id and agent_prompts. */
    private static ObjectNode asBolnaReturnsIt(JsonNode sent) {
        ObjectNode agent = ((ObjectNode) sent.path("agent_config")).deepCopy();
        agent.put("id", UUID.randomUUID().toString());
        agent.put("agent_status", "processed");
        agent.set("agent_prompts", sent.path("agent_prompts").deepCopy());
        return agent;
    }

    private JsonNode created(String name) {
        Http.Response answer = http.post("/api/agents", agent(name, Map.of(), Map.of()), user.auth());
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json();
    }

    private static Map<String, Object> agent(String name, Map<String, Object> llm, Map<String, Object> task) {
        return Map.of("name", name, "welcomeMessage", "Hello!", "systemPrompt", "Be brief.", "llmConfig", llm,
                "taskConfig", task);
    }
}
