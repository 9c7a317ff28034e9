package ai.calling.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

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
import ai.calling.webhook.internal.WebhookJournal;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bolna's webhook: authenticate, store the delivery as received (a committed insert, group-committed
 * with the deliveries arriving at the same time by {@link WebhookJournal}: that is all Bolna waits
 * for), then process it on a worker through {@link CallLifecycle}, in a transaction that
 * also marks the event. A processing failure is recorded on the event and retried with backoff;
 * events whose worker never ran (full queue, crash) are picked up by the sweep. Nothing is lost.
 */
@Service
public class BolnaWebhookService {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_ATTEMPTS = 8;
    static final int STALE_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(BolnaWebhookService.class);

    private final BolnaProperties bolna;
    private final WebhookEvents events;
    private final WebhookJournal journal;
    private final CallLifecycle lifecycle;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final ThreadPoolExecutor workers;

    BolnaWebhookService(BolnaProperties bolna, WebhookEvents events, WebhookJournal journal, CallLifecycle lifecycle,
            TransactionTemplate transactions, JsonMapper json) {
        this.bolna = bolna;
        this.events = events;
        this.journal = journal;
        int threads = Math.clamp(bolna.webhookWorkers(), 1, 64);
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(20_000), Thread.ofPlatform().name("bolna-webhook-", 0).factory());
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

    /** Stores one delivery durably and queues its processing; returns the stored event's id. */
    public UUID receive(String body, String source) {
        return receive(body, source, false);
    }

    /** Stores one execution and processes it before returning (reconciliation runs in a job anyway). */
    public UUID receiveAndProcess(String body, String source) {
        return receive(body, source, true);
    }

    private UUID receive(String body, String source, boolean now) {
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
        UUID eventId = journal.append(executionId, execution.path("agent_id").asString(null),
                execution.path("status").asString(null), source, body);
        if (now) {
            process(eventId, false);
            return eventId;
        }
        try {
            workers.execute(() -> process(eventId, false));
        } catch (RejectedExecutionException full) {
            log.warn("Webhook workers are saturated; event {} waits for the sweep", eventId);
        }
        return eventId;
    }

    /** Processes a stored event again, now (admin replay). Returns its new state. */
    public String replay(UUID eventId) {
        if (!events.exists(eventId)) {
            throw ApiException.notFound("The webhook event");
        }
        return process(eventId, true);
    }

    /** Failed events that are due, and received events no worker took; returns how many were run. */
    public int sweep() {
        List<UUID> due = events.dueForRetry(100);
        due.forEach(id -> process(id, false));
        List<UUID> stale = events.stale(STALE_SECONDS, 500);
        stale.forEach(id -> process(id, false));
        return due.size() + stale.size();
    }

    public PageResponse<EventRow> list(String state, PageRequest page) {
        return new PageResponse<>(events.page(state, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), events.count(state));
    }

    private String process(UUID eventId, boolean anyState) {
        try {
            return transactions.execute(status -> {
                Optional<String> payload = events.claimAsProcessed(eventId, anyState);
                if (payload.isEmpty()) {
                    return "skipped";
                }
                if (lifecycle.apply(json.readTree(payload.get())) == CallLifecycle.Outcome.IGNORED) {
                    events.markIgnored(eventId);
                    return "ignored";
                }
                return "processed";
            });
        } catch (RuntimeException e) {
            log.warn("Processing Bolna event {} failed; it will be retried: {}", eventId, e.getMessage());
            events.markFailed(eventId, e.getClass().getSimpleName() + ": " + e.getMessage(), MAX_ATTEMPTS);
            return "failed";
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
