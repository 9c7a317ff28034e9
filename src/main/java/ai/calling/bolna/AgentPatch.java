package ai.calling.bolna;

import java.util.Map;

/** The fields of an agent that Bolna's PATCH can change; null: unchanged. */
public record AgentPatch(String name, String welcomeMessage, String webhookUrl, String systemPrompt,
        Map<String, Object> voice) {

    public boolean isEmpty() {
        return name == null && welcomeMessage == null && webhookUrl == null && systemPrompt == null && voice == null;
    }
}
