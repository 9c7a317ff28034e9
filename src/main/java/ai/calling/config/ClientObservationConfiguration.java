package ai.calling.config;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.micrometer.observation.autoconfigure.ObservationRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.observation.ClientRequestObservationContext;

/**
 * An outgoing HTTP request ({@code http.client.requests}) is observed only as part of observed work,
 * a request to this server above all: it is then a span of the caller's trace, and its trace context
 * goes with it. A request from background work outside any observation (the campaign dispatcher's
 * dials) would be a trace of one span, and its observation cost a dial more CPU than the HTTP exchange itself
 * (decision 0056); Bolna's requests are timed either way by {@code bolna.requests}, per endpoint and
 * outcome.
 */
@Configuration(proxyBeanMethods = false)
class ClientObservationConfiguration {

    @Bean
    ObservationRegistryCustomizer<ObservationRegistry> clientRequestsOnlyInsideObservedWork() {
        return registry -> registry.observationConfig().observationPredicate((name, context) -> {
            if (!(context instanceof ClientRequestObservationContext)) {
                return true;
            }
            // a scope is opened for a disabled observation too: in progress means a real one
            Observation current = registry.getCurrentObservation();
            return current != null && !current.isNoop();
        });
    }
}
