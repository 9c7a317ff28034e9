package ai.calling.bolna;

import java.util.Map;

/**
 * Everything we tell Bolna about an agent: its name, greeting, webhook URL, system prompt, hard call
 * limit (sent as the task's {@code call_terminate}), and the voice, LLM and task settings the tenant
 * chose ({@link BolnaAgentSettings} allows the LLM and task keys; the prompt and greeting are not
 * among them).
 */
public record AgentSpec(String name, String welcomeMessage, String webhookUrl, String systemPrompt,
        int maxCallDurationSeconds, Map<String, Object> voice, Map<String, Object> llm, Map<String, Object> task) {

    public AgentSpec {
        voice = voice == null ? Map.of() : voice;
        llm = llm == null ? Map.of() : llm;
        task = task == null ? Map.of() : task;
    }
}
