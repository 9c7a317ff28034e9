package ai.calling.webhook;

import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.AllowedValues;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.webhook.internal.WebhookEvents.EventRow;

/** The admin view of Bolna's deliveries (listing by state, replay); they arrive through {@link BolnaWebhookServlet}. */
@RestController
class BolnaWebhookController {

    private static final Set<String> STATES = Set.of("received", "processed", "failed", "ignored");

    private final BolnaWebhookService webhooks;

    BolnaWebhookController(BolnaWebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Operation(summary = "List stored Bolna deliveries")
    @GetMapping("/api/admin/webhooks/bolna")
    PageResponse<EventRow> list(@RequestParam(required = false) String state, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return webhooks.list(AllowedValues.check("state", state, STATES), PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Apply a stored Bolna delivery again")
    @PostMapping("/api/admin/webhooks/bolna/{id}/replay")
    Replayed replay(@PathVariable UUID id) {
        return new Replayed(id, webhooks.replay(id));
    }

    /** A stored delivery queued to be applied again, and its state now. */
    record Replayed(UUID eventId, String state) {
    }
}
