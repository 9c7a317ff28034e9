package ai.calling.bolna.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.calling.bolna.AgentPatch;
import ai.calling.bolna.AgentSpec;

/** Bolna's v2 agent bodies: the whole configuration (create, PUT) and the partial one (PATCH). */
public final class BolnaAgentPayload {

    private BolnaAgentPayload() {
    }

    /**
     * The whole configuration, with sensible defaults under the tenant's settings;
     * {@code maxCallDurationSeconds} becomes the task's {@code call_terminate}, whatever the task says.
     */
    public static Map<String, Object> create(AgentSpec spec) {
        Map<String, Object> llmConfig = new LinkedHashMap<>(Map.of("provider", "openai", "model", "gpt-4o-mini",
                "max_tokens", 150, "temperature", 0.2));
        llmConfig.putAll(spec.llm());
        Map<String, Object> taskConfig = new LinkedHashMap<>(Map.of("hangup_after_silence", 10));
        taskConfig.putAll(spec.task());
        taskConfig.put("call_terminate", spec.maxCallDurationSeconds());
        Map<String, Object> toolsConfig = new LinkedHashMap<>();
        toolsConfig.put("llm_agent", Map.of("agent_type", "simple_llm_agent", "agent_flow_type", "streaming",
                "llm_config", llmConfig));
        toolsConfig.put("synthesizer", synthesizer(spec));
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
        agentConfig.put("agent_name", spec.name());
        agentConfig.put("agent_welcome_message", spec.welcomeMessage());
        agentConfig.put("webhook_url", spec.webhookUrl());
        agentConfig.put("tasks", List.of(conversation));
        return Map.of("agent_config", agentConfig, "agent_prompts", prompts(spec.systemPrompt()));
    }

    /**
     * Bolna's PATCH body: only {@code agent_config.{agent_name, agent_welcome_message, webhook_url,
     * synthesizer}} and {@code agent_prompts.task_1.system_prompt} can be patched.
     */
    public static Map<String, Object> patch(AgentPatch patch) {
        Map<String, Object> config = new LinkedHashMap<>();
        if (patch.name() != null) {
            config.put("agent_name", patch.name());
        }
        if (patch.welcomeMessage() != null) {
            config.put("agent_welcome_message", patch.welcomeMessage());
        }
        if (patch.webhookUrl() != null) {
            config.put("webhook_url", patch.webhookUrl());
        }
        if (patch.voice() != null) {
            config.put("synthesizer", patch.voice());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!config.isEmpty()) {
            body.put("agent_config", config);
        }
        if (patch.systemPrompt() != null) {
            body.put("agent_prompts", prompts(patch.systemPrompt()));
        }
        return body;
    }

    /** The synthesizer: Bolna's defaults under the tenant's voice settings. */
    public static Map<String, Object> synthesizer(AgentSpec spec) {
        Map<String, Object> synthesizer = new LinkedHashMap<>(Map.of("provider", "elevenlabs", "stream", true,
                "buffer_size", 250, "audio_format", "wav"));
        synthesizer.putAll(spec.voice());
        return synthesizer;
    }

    private static Map<String, Object> prompts(String systemPrompt) {
        return Map.of("task_1", Map.of("system_prompt", systemPrompt));
    }
}
