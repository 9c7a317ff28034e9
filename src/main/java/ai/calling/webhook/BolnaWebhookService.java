package ai.calling.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.call.CallLifecycle;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.Text;
import ai.calling.config.BolnaProperties;
import ai.calling.config.Secrets;
import ai.calling.webhook.internal.WebhookEvents;
import ai.calling.webhook.internal.WebhookEvents.Claimed;
import ai.calling.webhook.internal.WebhookEvents.EventRow;
import ai.calling.webhook.internal.StorableJson;
import ai.calling.webhook.internal.WebhookJournal;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bolna's webhook: authenticate, store the delivery as received (a committed insert, group-committed
 * with the deliveries arriving at the same time by {@link WebhookJournal}: that is all Bolna waits
 * for), then process it: a processor thread takes the events queued meanwhile as one batch and
 * applies them through {@link CallLifecycle} in one transaction that also marks them. A failed batch
 * is applied again event by event; a failed event is recorded on it and retried with backoff; events
 * no processor took (full queue, crash) are picked up by the sweep. Nothing is lost.
 */
@Service
public class BolnaWebhookService {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_EXECUTION_ID_LENGTH = 255;
    static final int BATCH = 100;
    static final Duration BUSY_WINDOW = Duration.ofMillis(100);
    static final int MAX_ATTEMPTS = 8;
    static final int STALE_SECONDS = 30;
    static final int BACKLOG_PAGE = 1000;
    private static final Logger log = LoggerFactory.getLogger(BolnaWebhookService.class);

    private final BolnaProperties bolna;
    private final List<String> allowed;
    private final WebhookEvents events;
    private final WebhookJournal journal;
    private final CallLifecycle lifecycle;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final JsonMapper payloads;
    private final BlockingQueue<UUID> queued = new LinkedBlockingQueue<>(20_000);
    private final List<Thread> processors;
    private volatile boolean running = true;

    BolnaWebhookService(BolnaProperties bolna, WebhookEvents events, WebhookJournal journal, CallLifecycle lifecycle,
            TransactionTemplate transactions, JsonMapper json) {
        this.bolna = bolna;
        this.allowed = bolna.webhookAllowedIps().stream().map(String::trim).filter(ip -> !ip.isEmpty()).toList();
        this.events = events;
        this.journal = journal;
        this.lifecycle = lifecycle;
        this.transactions = transactions;
        this.json = json;
        // payloads are read back with exact decimals: a number too large for a double stays a number
        this.payloads = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        this.processors = IntStream.range(0, Math.clamp(bolna.webhookWorkers(), 1, 16))
                .mapToObj(n -> Thread.ofPlatform().name("bolna-webhook-" + n).daemon().start(this::processQueued))
                .toList();
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
        JsonNode execution;
        try {
            execution = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("The body is not JSON");
        }
        if (execution == null || !execution.isObject()) {
            throw ApiException.badRequest("The body is not a JSON object");
        }
        String stored = body;
        if (StorableJson.needsCleaning(body)) {
            execution = StorableJson.clean(execution);
            stored = json.writeValueAsString(execution);
        }
        String executionId = CallLifecycle.executionId(execution)
                .orElseThrow(() -> ApiException.badRequest("The execution has no id"));
        if (executionId.length() > MAX_EXECUTION_ID_LENGTH) {
            // no execution of ours has such an id: refused, so that it is not stored and retried forever
            throw ApiException.badRequest("The execution id is longer than " + MAX_EXECUTION_ID_LENGTH + " characters");
        }
        UUID eventId = journal.append(executionId, Text.storable(execution.path("agent_id").asString(null), 255),
                Text.storable(execution.path("status").asString(null), 50), source, stored);
        if (now) {
            process(List.of(eventId), false);
        } else if (!queued.offer(eventId)) {
            log.warn("The webhook processing queue is full; event {} waits for the sweep", eventId);
        }
        return eventId;
    }

    /** A processor: takes whatever has been queued meanwhile (up to {@value #BATCH} events) as one batch. */
    private void processQueued() {
        List<UUID> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                UUID first = queued.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queued.drainTo(batch, BATCH - 1);
                long began = System.nanoTime();
                process(batch, false);
                yieldToDeliveries(System.nanoTime() - began);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("A webhook processor failed; its events wait for the sweep", e);
            } finally {
                batch.clear();
            }
        }
    }

    /** Processes a stored event again, now (admin replay). Returns its new state. */
    public String replay(UUID eventId) {
        if (!events.exists(eventId)) {
            throw ApiException.notFound("The webhook event");
        }
        return process(List.of(eventId), true);
    }

    /** Failed events that are due, and received events no worker took; returns how many were run. */
    public int sweep() {
        List<UUID> due = events.dueForRetry(100);
        due.forEach(id -> process(List.of(id), false));
        List<UUID> stale = events.stale(STALE_SECONDS, 500);
        for (int from = 0; from < stale.size(); from += BATCH) {
            process(stale.subList(from, Math.min(stale.size(), from + BATCH)), false);
        }
        return due.size() + stale.size();
    }

    /**
     * Applies every event still in state received that arrived before now, in batches, at full speed
     * (no staleness threshold, no yielding): after a crash the stored backlog is applied at start-up
     * instead of 500 per 30 s sweep. Safe beside other processors and instances (events are claimed
     * with SKIP LOCKED). Returns how many events it went through.
     */
    public int drainBacklog() {
        OffsetDateTime startedAt = OffsetDateTime.now();
        List<WebhookEvents.Backlogged> page = events.backlog(startedAt, null, null, BACKLOG_PAGE);
        int drained = 0;
        while (running && !page.isEmpty()) {
            List<UUID> ids = page.stream().map(WebhookEvents.Backlogged::id).toList();
            for (int from = 0; from < ids.size(); from += BATCH) {
                process(ids.subList(from, Math.min(ids.size(), from + BATCH)), false);
            }
            drained += ids.size();
            WebhookEvents.Backlogged last = page.getLast();
            page = events.backlog(startedAt, last.receivedAt(), last.id(), BACKLOG_PAGE);
        }
        return drained;
    }

    public PageResponse<EventRow> list(String state, PageRequest page) {
        return new PageResponse<>(events.page(state, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), events.count(state));
    }

    /**
     * While deliveries keep arriving, processing takes at most its share of the time (as autovacuum's
     * cost delay does for vacuum): a burst is acknowledged first, and processed at full speed as soon
     * as it eases. Processing never stops: under a flood it still runs that share of the time.
     */
    private void yieldToDeliveries(long batchNanos) throws InterruptedException {
        double share = Math.clamp(bolna.webhookProcessingShare(), 0.01, 1);
        if (share < 1 && journal.wroteWithin(BUSY_WINDOW)) {
            TimeUnit.NANOSECONDS.sleep((long) (batchNanos * (1 - share) / share));
        }
    }

    /**
     * Applies stored events in one transaction that also marks them. If that fails, each event is
     * applied again on its own, so that only a bad event fails (and is retried with backoff). Returns
     * the state of a single event: processed, ignored, failed, or skipped (held elsewhere or done).
     */
    private String process(List<UUID> eventIds, boolean anyState) {
        try {
            return transactions.execute(status -> {
                List<Claimed> claimed = events.claimAsProcessed(eventIds, anyState);
                if (claimed.isEmpty()) {
                    return "skipped";
                }
                Set<String> ignored = lifecycle.apply(claimed.stream().map(event -> payloads.readTree(event.payload())).toList());
                List<UUID> ignoredIds = claimed.stream().filter(event -> ignored.contains(event.executionId()))
                        .map(Claimed::id).toList();
                events.markIgnored(ignoredIds);
                return ignoredIds.isEmpty() ? "processed" : "ignored";
            });
        } catch (RuntimeException e) {
            if (eventIds.size() > 1) {
                log.info("A batch of {} Bolna events failed ({}); applying them one by one", eventIds.size(), e.getMessage());
                eventIds.forEach(id -> process(List.of(id), anyState));
                return "failed";
            }
            log.warn("Processing Bolna event {} failed; it will be retried: {}", eventIds.getFirst(), e.getMessage());
            events.markFailed(eventIds.getFirst(), e.getClass().getSimpleName() + ": " + e.getMessage(), MAX_ATTEMPTS);
            return "failed";
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        for (Thread processor : processors) {
            processor.join(Duration.ofSeconds(10));
        }
    }
}
