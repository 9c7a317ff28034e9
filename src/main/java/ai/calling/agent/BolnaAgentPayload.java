package ai.calling.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of Bolna's v2 agent creation, with sensible defaults under the user's settings. */
final class BolnaAgentPayload {

    static final String CALL_TERMINATE = "call_terminate";

    private BolnaAgentPayload() {
    }

    /** {@code maxCallDurationSeconds} becomes the task's {@code call_terminate}, whatever {@code task} says. */
    static Map<String, Object> create(String name, String welcomeMessage, String webhookUrl, String systemPrompt,
            int maxCallDurationSeconds, Map<String, Object> voice, Map<String, Object> llm, Map<String, Object> task) {
        Map<String, Object> llmConfig = new LinkedHashMap<>(Map.of("provider", "openai", "model", "gpt-4o-mini",
                "max_tokens", 150, "temperature", 0.2));
        llm.forEach((key, value) -> {
            if (!key.equals(AgentService.PROMPT)) {
                llmConfig.put(key, value);
            }
        });
        Map<String, Object> synthesizer = new LinkedHashMap<>(Map.of("provider", "elevenlabs", "stream", true,
                "buffer_size", 250, "audio_format", "wav"));
        synthesizer.putAll(voice);
        Map<String, Object> taskConfig = new LinkedHashMap<>(Map.of("hangup_after_silence", 10,
                "call_terminate", 300));
        task.forEach((key, value) -> {
            if (!key.equals(AgentService.WELCOME)) {
                taskConfig.put(key, value);
            }
        });
        taskConfig.put(CALL_TERMINATE, maxCallDurationSeconds);
        Map<String, Object> toolsConfig = new LinkedHashMap<>();
        toolsConfig.put("llm_agent", Map.of("agent_type", "simple_llm_agent", "agent_flow_type", "streaming",
                "llm_config", llmConfig));
        toolsConfig.put("synthesizer", synthesizer);
        toolsConfig.put("transcriber", Map.of("provider", "deepgram", "model", "nova-2", "language", "en",
                "stream", true));
        toolsConfig.put("input", Map.of("provider", "twilio", "format", "wav"));
        toolsConfig.put("output", Map.of("provider", "twilio", "format", "wav"));
        Map<String, Object> conversation = new LinkedHashMap<>();
        conversation.put("task_type", "conversation");
        conversation.put("tools_config", toolsConfig);
        conversation.put("toolchain", Map.of("execution", "parallel",
                "pipelines", List.of(List.of("transcriber", "llm", "synthesizer"))));
        conversation.put("task_config", taskConfig);
        Map<String, Object> agentConfig = new LinkedHashMap<>();
        agentConfig.put("agent_name", name);
        agentConfig.put("agent_welcome_message", welcomeMessage);
        agentConfig.put("webhook_url", webhookUrl);
        agentConfig.put("tasks", List.of(conversation));
        return Map.of("agent_config", agentConfig, "agent_prompts", Map.of("task_1", Map.of("system_prompt", systemPrompt)));
    }
}
