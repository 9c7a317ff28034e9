package ai.calling.lead.internal;

import java.time.Duration;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponsePrompt;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import ai.calling.common.ApiException;
import ai.calling.config.OpenAiProperties;

/**
 * The Responses API through the official SDK, pointed at {@code OPENAI_BASE_URL}. The SDK absorbs
 * short blips (2 quick retries with backoff and jitter); a 429, 5xx or timeout that outlasts them is
 * a {@link TransientFailure}, which the job queue retries later.
 */
@Component
public class OpenAiAnalyzer {

    private final OpenAIClient client;
    private final ObservationRegistry observations;

    OpenAiAnalyzer(OpenAiProperties properties, ObservationRegistry observations) {
        this.observations = observations;
        this.client = properties.apiConfigured() ? OpenAIOkHttpClient.builder().apiKey(properties.apiKey())
                .baseUrl(properties.baseUrl().toString()).maxRetries(2).timeout(Duration.ofSeconds(60)).build() : null;
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
            Response response = responses(ResponseCreateParams.builder()
                    .prompt(ResponsePrompt.builder().id(promptId).variables(vars.build()).build()).build());
            StringBuilder text = new StringBuilder();
            response.output().forEach(item -> item.message().ifPresent(message -> message.content().forEach(
                    content -> content.outputText().ifPresent(out -> text.append(out.text())))));
            return text.toString();
        } catch (OpenAIServiceException e) {
            if (e.statusCode() == 429 || e.statusCode() >= 500) {
                throw new TransientFailure("OpenAI is unavailable (" + e.statusCode() + ")");
            }
            throw new AnalysisFailure("OpenAI refused the request (" + e.statusCode() + "): " + e.getMessage());
        } catch (OpenAIIoException e) {
            throw new TransientFailure("OpenAI did not answer: " + e.getMessage());
        } catch (OpenAIException e) {
            throw new AnalysisFailure("OpenAI failed: " + e.getMessage());
        }
    }

    /** One Responses API call, observed: a span (and an openai.requests timer) around the SDK's HTTP call. */
    private Response responses(ResponseCreateParams params) {
        return Observation.createNotStarted("openai.requests", observations)
                .contextualName("openai responses.create")
                .lowCardinalityKeyValue("operation", "responses.create")
                .observe(() -> client.responses().create(params));
    }

    /** OpenAI busy or unreachable: worth trying again later. */
    public static class TransientFailure extends AnalysisFailure {
        public TransientFailure(String message) {
            super(message);
        }
    }

    /**
     * Whether OpenAI accepts this prompt id: a minimal Responses call with it. A 4xx means unusable;
     * a failure to reach OpenAI is not an answer (502).
     */
    public PromptCheck check(String promptId) {
        if (client == null) {
            throw ApiException.unavailable("OpenAI is not configured on this server (OPENAI_API_KEY is unset)");
        }
        try {
            Response response = responses(ResponseCreateParams.builder()
                    .prompt(ResponsePrompt.builder().id(promptId).build()).maxOutputTokens(16L).build());
            var model = response.model();
            String name = model.string().orElseGet(() -> model.chat().map(String::valueOf)
                    .orElseGet(() -> model.only().map(String::valueOf).orElse(null)));
            return new PromptCheck(promptId, true, name, null);
        } catch (OpenAIServiceException e) {
            if (e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 429) {
                return new PromptCheck(promptId, false, null, e.getMessage());
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "Bad Gateway",
                    "OpenAI could not check the prompt right now; try again");
        } catch (OpenAIException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "Bad Gateway",
                    "OpenAI could not check the prompt right now; try again");
        }
    }

    public record PromptCheck(String promptId, boolean valid, String model, String error) {
    }

    /** An analysis that cannot complete; the message is stored as the job's reason. */
    public static class AnalysisFailure extends RuntimeException {
        public AnalysisFailure(String message) {
            super(message);
        }
    }
}
