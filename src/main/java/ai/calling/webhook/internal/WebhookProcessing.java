package ai.calling.webhook.internal;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.bolna.BolnaExecution;
import ai.calling.call.CallLifecycle;
import ai.calling.webhook.internal.WebhookEvents.Claimed;

/**
 * Applies stored deliveries to their calls: one transaction claims the events (marking them), reads
 * each once ({@link BolnaExecution}) and hands them to {@link CallLifecycle}. If that fails, each
 * event is applied again on its own, so that only a bad event fails (and is retried with backoff).
 */
@Component
public class WebhookProcessing {

    public static final int MAX_ATTEMPTS = 8;
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessing.class);

    private final WebhookEvents events;
    private final CallLifecycle lifecycle;
    private final TransactionTemplate transactions;

    WebhookProcessing(WebhookEvents events, CallLifecycle lifecycle, TransactionTemplate transactions) {
        this.events = events;
        this.lifecycle = lifecycle;
        this.transactions = transactions;
    }

    /**
     * Returns the state of a single event: processed, ignored, failed, or skipped (held elsewhere or,
     * unless {@code anyState}, done already).
     */
    public String process(List<UUID> eventIds, boolean anyState) {
        try {
            return transactions.execute(status -> {
                List<Claimed> claimed = events.claimAsProcessed(eventIds, anyState);
                if (claimed.isEmpty()) {
                    return "skipped";
                }
                Set<String> ignored = lifecycle.apply(claimed.stream().map(event -> BolnaExecution.parse(event.payload()))
                        .toList());
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
            events.markFailed(eventIds.getFirst(), e.getClass().getSimpleName() + ": " + e.getMessage(), MAX_ATTEMPTS, anyState);
            return "failed";
        }
    }
}
