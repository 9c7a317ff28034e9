package ai.calling.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.call.CallLifecycle;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.config.BolnaProperties;
import ai.calling.config.Secrets;
import ai.calling.webhook.internal.WebhookEvents;
import ai.calling.webhook.internal.WebhookEvents.EventRow;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bolna's webhook: authenticate, store the delivery as received (its own committed transaction),
 * then process it through {@link CallLifecycle}. A processing failure is recorded on the stored
 * event and retried later; the delivery is never lost and Bolna still gets its 200.
 */
@Service
public class BolnaWebhookService {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_ATTEMPTS = 8;
    private static final Logger log = LoggerFactory.getLogger(BolnaWebhookService.class);

    private final BolnaProperties bolna;
    private final WebhookEvents events;
    private final CallLifecycle lifecycle;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    BolnaWebhookService(BolnaProperties bolna, WebhookEvents events, CallLifecycle lifecycle,
            TransactionTemplate transactions, JsonMapper json) {
        this.bolna = bolna;
        this.events = events;
        this.lifecycle = lifecycle;
        this.transactions = transactions;
        this.json = json;
    }

    /** Checks the URL token in constant time and the optional source allow-list; 401 otherwise. */
    public void authenticate(String token, String clientIp) {
        String secret = bolna.webhookSecret();
        boolean tokenOk = Secrets.isSet(secret) && token != null && MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
        List<String> allowed = bolna.webhookAllowedIps().stream().map(String::trim).filter(ip -> !ip.isEmpty()).toList();
        boolean sourceOk = allowed.isEmpty() || allowed.contains(clientIp);
        if (!tokenOk || !sourceOk) {
            log.warn("Refused a Bolna webhook from {} ({})", clientIp, tokenOk ? "address not allowed" : "bad token");
            throw ApiException.unauthorized("This webhook is not authenticated");
        }
    }

    /** Stores then processes one delivery; returns the stored event's id. */
    public UUID receive(String body, String source) {
        JsonNode execution;
        try {
            execution = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("The body is not JSON");
        }
        if (execution == null || !execution.isObject()) {
            throw ApiException.badRequest("The body is not a JSON object");
        }
        String executionId = CallLifecycle.executionId(execution)
                .orElseThrow(() -> ApiException.badRequest("The execution has no id"));
        UUID eventId = events.store(executionId, execution.path("agent_id").asString(null),
                execution.path("status").asString(null), source, body);
        process(eventId, execution);
        return eventId;
    }

    /** Processes a stored event again (admin replay, retry job). */
    public String replay(UUID eventId) {
        String payload = events.payload(eventId).orElseThrow(() -> ApiException.notFound("The webhook event"));
        return process(eventId, json.readTree(payload));
    }

    public int retryDue() {
        List<UUID> due = transactions.execute(status -> events.dueForRetry(50));
        due.forEach(this::replay);
        return due.size();
    }

    public PageResponse<EventRow> list(String state, PageRequest page) {
        return new PageResponse<>(events.page(state, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), events.count(state));
    }

    private String process(UUID eventId, JsonNode execution) {
        try {
            CallLifecycle.Outcome outcome = lifecycle.apply(execution);
            String state = outcome == CallLifecycle.Outcome.IGNORED ? "ignored" : "processed";
            events.markProcessed(eventId, state);
            return state;
        } catch (RuntimeException e) {
            log.warn("Processing Bolna event {} failed; it will be retried: {}", eventId, e.getMessage());
            events.markFailed(eventId, e.getClass().getSimpleName() + ": " + e.getMessage(), MAX_ATTEMPTS);
            return "failed";
        }
    }
}
