package ai.calling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The outbound webhook limits issue 23 fixes are the defaults (the test suite shortens the attempt
 * timeout to 3 s, so its own runs do not show them): 10 s per attempt, 64 KB read of an answer,
 * retried for at least 24 hours, an endpoint disabled after 3 days of failures.
 */
@Tag("unit")
class OutboundWebhookPropertiesTest {

    @Test
    void theDefaultsAreTheIssuesLimits() {
        OutboundWebhookProperties defaults = bind(Map.of());
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.maxResponseBytes()).isEqualTo(64 * 1024);
        assertThat(defaults.retryFor()).isGreaterThanOrEqualTo(Duration.ofHours(24));
        assertThat(defaults.disableAfter()).isEqualTo(Duration.ofDays(3));
        assertThat(defaults.allowedNetworks()).isEmpty();
    }

    @Test
    void theTimeoutIsConfigurable() {
        assertThat(bind(Map.of("app.outbound-webhooks.timeout", "3s")).timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theLeaseOutlivesThreeTimeoutsUnlessSetAndNeverLessThanTwo() {
        assertThat(bind(Map.of()).lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(bind(Map.of("app.outbound-webhooks.timeout", "3s")).lease()).isEqualTo(Duration.ofSeconds(39));
        assertThat(bind(Map.of("app.outbound-webhooks.timeout", "2s", "app.outbound-webhooks.lease", "4s")).lease())
                .isEqualTo(Duration.ofSeconds(4));
        assertThatThrownBy(() -> bind(Map.of("app.outbound-webhooks.timeout", "3s", "app.outbound-webhooks.lease", "5s")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessageContaining("at least twice");
    }

    private static OutboundWebhookProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("app.outbound-webhooks", OutboundWebhookProperties.class);
    }
}
