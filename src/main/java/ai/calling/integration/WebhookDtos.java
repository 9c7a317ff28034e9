package ai.calling.integration;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.media.Schema;

/** The outbound webhooks' requests and answers. */
public final class WebhookDtos {

    private WebhookDtos() {
    }

    public record CreateEndpointRequest(
            @NotBlank @Size(max = 2048) @Schema(example = "https://crm.example.com/hooks/calling") String url,
            @NotEmpty @Size(max = 10) List<@NotBlank @Size(max = 40) String> events,
            @Size(max = 500) String description) {
    }

    /** Only the fields given are changed; {@code enabled: true} re-enables an endpoint that was disabled. */
    public record UpdateEndpointRequest(
            @Size(max = 2048) String url,
            @Size(min = 1, max = 10) List<@NotBlank @Size(max = 40) String> events,
            @Size(max = 500) String description,
            Boolean enabled) {
    }

    public record EndpointView(UUID id, String url, String description, List<String> events, boolean enabled,
            String disabledReason, Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {
    }

    /** An endpoint just created: {@code secret} is shown this once. */
    public record CreatedEndpoint(UUID id, String url, String description, List<String> events, boolean enabled,
            String secret, Instant createdAt) {
    }

    /** A new secret; the previous one keeps signing (a second {@code v1,} signature) until {@code previousSecretExpiresAt}. */
    public record RotatedSecret(String secret, Instant previousSecretExpiresAt) {
    }

    public record DeliveryView(UUID id, UUID eventId, String eventType, String status, int attempts,
            Integer lastResponseStatus, Integer lastDurationMs, String lastError, Instant lastAttemptAt,
            Instant nextAttemptAt, Instant createdAt, List<AttemptView> attemptLog) {
    }

    public record AttemptView(Instant attemptedAt, Integer responseStatus, int durationMs, String error) {
    }

    /** A delivery queued by hand (a test event or a redelivery). */
    public record QueuedDelivery(UUID deliveryId, UUID eventId, String status) {
    }
}
