package ai.calling.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Exports spans over OTLP (HTTP) only when the standard OpenTelemetry variable names an endpoint:
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as it is, or {@code OTEL_EXPORTER_OTLP_ENDPOINT} with
 * {@code /v1/traces} appended, as the OpenTelemetry SDKs do. Spring Boot creates its exporter as soon
 * as {@code management.opentelemetry.tracing.export.otlp.endpoint} exists, even empty, so the
 * property is added here only when there is a value; without one, spans still give every log line
 * its trace and span ids, and nothing is sent anywhere.
 */
public class OpenTelemetryEnvironment implements EnvironmentPostProcessor {

    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(ENDPOINT)) {
            return; // set directly
        }
        String endpoint = tracesEndpoint(environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
                environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (endpoint != null) {
            environment.getPropertySources().addLast(new MapPropertySource("openTelemetryEnvironment",
                    Map.of(ENDPOINT, endpoint)));
        }
    }

    static String tracesEndpoint(String tracesEndpoint, String baseEndpoint) {
        if (StringUtils.hasText(tracesEndpoint)) {
            return tracesEndpoint.strip();
        }
        if (StringUtils.hasText(baseEndpoint)) {
            String base = baseEndpoint.strip();
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
        }
        return null;
    }
}
