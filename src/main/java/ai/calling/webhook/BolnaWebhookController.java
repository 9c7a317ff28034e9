package ai.calling.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.ApiException;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.webhook.internal.WebhookEvents.EventRow;

/** Bolna's deliveries, and the admin view of them (listing by state, replay). */
@RestController
class BolnaWebhookController {

    private final BolnaWebhookService webhooks;

    BolnaWebhookController(BolnaWebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping("/api/webhooks/bolna")
    Map<String, Object> receive(@RequestParam(required = false) String token, HttpServletRequest request)
            throws IOException {
        webhooks.authenticate(token, request.getRemoteAddr());
        if (request.getContentLengthLong() > BolnaWebhookService.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(BolnaWebhookService.MAX_BODY_BYTES + 1);
        }
        if (body.length > BolnaWebhookService.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        UUID event = webhooks.receive(new String(body, StandardCharsets.UTF_8), "webhook");
        return Map.of("received", true, "eventId", event);
    }

    @GetMapping("/api/admin/webhooks/bolna")
    PageResponse<EventRow> list(@RequestParam(required = false) String state, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return webhooks.list(state, PageParams.of(page, size, org.springframework.data.domain.Sort.unsorted()));
    }

    @PostMapping("/api/admin/webhooks/bolna/{id}/replay")
    Map<String, Object> replay(@PathVariable UUID id) {
        return Map.of("eventId", id, "state", webhooks.replay(id));
    }

    private static ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", "The body is larger than 1 MB");
    }
}
