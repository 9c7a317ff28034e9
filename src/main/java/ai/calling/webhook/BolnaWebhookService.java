package ai.calling.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;

import ai.calling.bolna.BolnaDelivery;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.Text;
import ai.calling.config.BolnaProperties;
import ai.calling.config.Secrets;
import ai.calling.webhook.internal.WebhookEvents;
import ai.calling.webhook.internal.WebhookEvents.EventRow;
import ai.calling.webhook.internal.WebhookJournal;
import ai.calling.webhook.internal.WebhookProcessing;
import ai.calling.webhook.internal.WebhookProcessors;

/**
 * Bolna's webhook: authenticate, store the delivery as received (a committed insert, group-committed
 * with the deliveries arriving at the same time by {@link WebhookJournal}: that is all Bolna waits
 * for), then queue it for the processors ({@link WebhookProcessors}), which apply the events queued
 * meanwhile as one batch ({@link WebhookProcessing}). A failed batch is applied again event by event;
 * a failed event is recorded on it and retried with backoff; events no processor took (full queue,
 * crash) are picked up by the sweep, and at start-up by the backlog drain. Nothing is lost.
 */
@Service
public class BolnaWebhookService {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_EXECUTION_ID_LENGTH = 255;
    static final int BATCH = 100;
    static final int STALE_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(BolnaWebhookService.class);

    private final BolnaProperties bolna;
    private final List<String> allowed;
    private final WebhookEvents events;
    private final WebhookJournal journal;
    private final WebhookProcessing processing;
    private final WebhookProcessors processors;

    BolnaWebhookService(BolnaProperties bolna, WebhookEvents events, WebhookJournal journal,
            WebhookProcessing processing, WebhookProcessors processors) {
        this.bolna = bolna;
        this.allowed = bolna.webhookAllowedIps().stream().map(String::trim).filter(ip -> !ip.isEmpty()).toList();
        this.events = events;
        this.journal = journal;
        this.processing = processing;
        this.processors = processors;
    }

    /** Checks the URL token in constant time and the optional source allow-list; 401 otherwise. */
    public void authenticate(String token, String clientIp) {
        String secret = bolna.webhookSecret();
        boolean tokenOk = Secrets.isSet(secret) && token != null && MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
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
        BolnaDelivery delivery;
        try {
            delivery = BolnaDelivery.read(body);
        } catch (BolnaDelivery.NotADelivery e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (delivery.executionId().length() > MAX_EXECUTION_ID_LENGTH) {
            // no execution of ours has such an id: refused, so that it is not stored and retried forever
            throw ApiException.badRequest("The execution id is longer than " + MAX_EXECUTION_ID_LENGTH + " characters");
        }
        UUID eventId = journal.append(delivery.executionId(), Text.storable(delivery.agentId(), 255),
                Text.storable(delivery.status(), 50), source, delivery.body());
        if (now) {
            processing.process(List.of(eventId), false);
        } else if (!processors.offer(eventId)) {
            log.warn("The webhook processing queue is full or stopped; event {} waits for the sweep", eventId);
        }
        return eventId;
    }

    /** Processes a stored event again, now (admin replay). Returns its new state. */
    public String replay(UUID eventId) {
        if (!events.exists(eventId)) {
            throw ApiException.notFound("The webhook event");
        }
        return processing.process(List.of(eventId), true);
    }

    /** Failed events that are due, and received events no worker took; returns how many were run. */
    public int sweep() {
        List<UUID> due = events.dueForRetry(100);
        due.forEach(id -> processing.process(List.of(id), false));
        List<UUID> stale = events.stale(STALE_SECONDS, 500);
        for (int from = 0; from < stale.size(); from += BATCH) {
            processing.process(stale.subList(from, Math.min(stale.size(), from + BATCH)), false);
        }
        return due.size() + stale.size();
    }

    public PageResponse<EventRow> list(String state, PageRequest page) {
        return new PageResponse<>(events.page(state, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), events.count(state));
    }

}
