package ai.calling.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import ai.calling.common.BoundedJson;

/** Request and response bodies of {@code /api/agents}. */
public final class AgentDtos {

    /** The range of an agent's hard call limit. */
    public static final int MIN_CALL_SECONDS = 30;
    public static final int MAX_CALL_SECONDS = 3600;

    private AgentDtos() {
    }

    /**
     * A new agent. {@code voiceConfig} is Bolna's synthesizer; {@code llmConfig} and {@code taskConfig}
     * are the LLM and task settings a tenant may choose, checked against {@link AgentSettings}.
     * {@code maxCallDurationSeconds} is the hard limit of its calls (Bolna's {@code call_terminate});
     * left out, the platform default applies.
     */
    public record CreateAgentRequest(
            @NotBlank @Size(max = 100) String name,
            @Pattern(regexp = "call|chat", message = "must be call or chat") String agentType,
            @Size(max = 2000) String description,
            @NotBlank @Size(max = 1000) String welcomeMessage,
            @NotBlank @Size(max = 20000) String systemPrompt,
            @Min(MIN_CALL_SECONDS) @Max(MAX_CALL_SECONDS) Integer maxCallDurationSeconds,
            @BoundedJson(maxChars = 4096) Map<String, Object> voiceConfig,
            @BoundedJson(maxChars = 4096) Map<String, Object> llmConfig,
            @BoundedJson(maxChars = 4096) Map<String, Object> taskConfig) {
    }

    /**
     * Fields left out (null) are not changed; a field given must not be blank. {@code isActive: true}
     * brings an inactive agent back (re-created or re-synced on Bolna); {@code false} deactivates it
     * like a delete.
     */
    public record UpdateAgentRequest(
            @Size(min = 1, max = 100) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String name,
            @Size(max = 2000) String description,
            @Size(min = 1, max = 1000) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String welcomeMessage,
            @Size(min = 1, max = 20000) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String systemPrompt,
            @BoundedJson(maxChars = 4096) Map<String, Object> voiceConfig,
            @Min(MIN_CALL_SECONDS) @Max(MAX_CALL_SECONDS) Integer maxCallDurationSeconds, Boolean isActive) {
    }

    /** Some character that is not whitespace, on any line (no inline flags: clients read it as ECMAScript). */
    static final String NOT_BLANK = "[\\s\\S]*\\S[\\s\\S]*";

    public record AgentView(UUID id, String name, String agentType, String description, boolean isActive,
            String bolnaAgentId, String welcomeMessage, String systemPrompt, int maxCallDurationSeconds,
            Map<String, Object> voiceConfig,
            Map<String, Object> llmConfig, Map<String, Object> taskConfig, AssignedNumber phoneNumber,
            Instant createdAt, Instant updatedAt) {
    }

    public record AssignedNumber(UUID id, String name, String phoneNumber) {
    }

    /** What a sync found different on Bolna and put right. */
    public record SyncResult(AgentView agent, List<String> repaired) {
    }
}
