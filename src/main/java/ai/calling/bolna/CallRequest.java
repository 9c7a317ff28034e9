package ai.calling.bolna;

import java.util.Map;
import java.util.UUID;

/**
 * A call for Bolna to place: the Bolna agent, the number (E.164), the caller id ({@code null}:
 * Bolna's default number), the {@code user_data} the agent's prompts may use, and our id of the
 * recorded dial, which Bolna echoes back in every execution of the call ({@code call_attempt_id}).
 */
public record CallRequest(String bolnaAgentId, String to, String from, Map<String, Object> userData, UUID attemptId) {
}
