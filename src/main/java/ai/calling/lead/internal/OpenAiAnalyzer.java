package ai.calling.lead.internal;

import java.time.Duration;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponsePrompt;

import org.springframework.stereotype.Component;

import ai.calling.config.OpenAiProperties;

/**
 * The Responses API through the official SDK, pointed at {@code OPENAI_BASE_URL}. The SDK retries
 * 429, 5xx and timeouts with exponential backoff and jitter (4 retries: at most 5 tries).
 */
@Component
public class OpenAiAnalyzer {

    private final OpenAIClient client;

    OpenAiAnalyzer(OpenAiProperties properties) {
        this.client = properties.apiConfigured() ? OpenAIOkHttpClient.builder().apiKey(properties.apiKey())
                .baseUrl(properties.baseUrl().toString()).maxRetries(4).timeout(Duration.ofSeconds(60)).build() : null;
    }

    public boolean configured() {
        return client != null;
    }

    /** Runs a stored prompt with these variables and returns the model's text output. */
    public String run(String promptId, Map<String, String> variables) {
        if (client == null) {
            throw new AnalysisFailure("OpenAI is not configured on this server (OPENAI_API_KEY is unset)");
        }
        ResponsePrompt.Variables.Builder vars = ResponsePrompt.Variables.builder();
        variables.forEach((key, value) -> vars.putAdditionalProperty(key, JsonValue.from(value)));
        try {
            Response response = client.responses().create(ResponseCreateParams.builder()
                    .prompt(ResponsePrompt.builder().id(promptId).variables(vars.build()).build()).build());
            StringBuilder text = new StringBuilder();
            response.output().forEach(item -> item.message().ifPresent(message -> message.content().forEach(
                    content -> content.outputText().ifPresent(out -> text.append(out.text())))));
            return text.toString();
        } catch (OpenAIException e) {
            throw new AnalysisFailure("OpenAI failed: " + e.getMessage());
        }
    }

    /** An analysis that cannot complete; the message is stored as the job's reason. */
    public static class AnalysisFailure extends RuntimeException {
        public AnalysisFailure(String message) {
            super(message);
        }
    }
}
