package ai.calling.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The OTLP endpoint follows the OpenTelemetry variables' own rules; no variable, no exporter. */
@Tag("unit")
class OpenTelemetryEnvironmentTest {

    @Test
    void theBaseEndpointGetsTheTracesPathAndTheTracesEndpointIsTakenAsItIs() {
        assertThat(OpenTelemetryEnvironment.tracesEndpoint(null, "http://collector:4318"))
                .isEqualTo("http://collector:4318/v1/traces");
        assertThat(OpenTelemetryEnvironment.tracesEndpoint(null, "http://collector:4318/"))
                .isEqualTo("http://collector:4318/v1/traces");
        assertThat(OpenTelemetryEnvironment.tracesEndpoint("http://collector:4318/custom", "http://other:4318"))
                .isEqualTo("http://collector:4318/custom");
    }

    @Test
    void unsetOrBlankMeansNoExport() {
        assertThat(OpenTelemetryEnvironment.tracesEndpoint(null, null)).isNull();
        assertThat(OpenTelemetryEnvironment.tracesEndpoint("", " ")).isNull();
    }
}
