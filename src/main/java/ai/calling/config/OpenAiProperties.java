package ai.calling.config;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OpenAI Responses API used for lead analysis.
 *
 * @param apiKey             API key ({@code OPENAI_API_KEY})
 * @param baseUrl            API base ({@code OPENAI_BASE_URL})
 * @param individualPromptId system default prompt for one call ({@code OPENAI_INDIVIDUAL_PROMPT_ID})
 * @param completePromptId   system default prompt for a phone number's history ({@code OPENAI_COMPLETE_PROMPT_ID})
 */
@ConfigurationProperties("app.openai")
public record OpenAiProperties(
        String apiKey,
        @DefaultValue("https://api.openai.com/v1") URI baseUrl,
        String individualPromptId,
        String completePromptId) {

    public boolean apiConfigured() {
        return Secrets.isSet(apiKey);
    }

    @Override
    public String toString() {
        return "OpenAiProperties[apiKey=" + Secrets.mask(apiKey) + ", baseUrl=" + baseUrl
                + ", individualPromptId=" + individualPromptId + ", completePromptId=" + completePromptId + "]";
    }
}
