package ai.calling.webhook.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ai.calling.webhook.BolnaReconciliation;
import ai.calling.webhook.BolnaWebhookService;

/**
 * The scheduled side of webhook ingestion: the start-up drain of the stored backlog, retries with
 * backoff, and reconciliation of lost webhooks.
 */
@Component
@ConditionalOnProperty(name = "app.jobs.enabled", havingValue = "true", matchIfMissing = true)
class WebhookJobs {

    private static final Logger log = LoggerFactory.getLogger(WebhookJobs.class);

    private final BolnaWebhookService webhooks;
    private final BolnaReconciliation reconciliation;

    WebhookJobs(BolnaWebhookService webhooks, BolnaReconciliation reconciliation) {
        this.webhooks = webhooks;
        this.reconciliation = reconciliation;
    }

    /**
     * At start-up, the deliveries stored but not applied before the last stop (a crash, a kill -9) are
     * applied at once and at full speed, in the background, rather than 500 per sweep.
     */
    @EventListener(ApplicationReadyEvent.class)
    void drainBacklogAtStartup() {
        Thread.ofPlatform().name("bolna-webhook-backlog").daemon().start(() -> {
            long started = System.nanoTime();
            try {
                int drained = webhooks.drainBacklog();
                if (drained > 0) {
                    log.info("Applied the {} Bolna deliveries stored before start-up in {} ms", drained,
                            (System.nanoTime() - started) / 1_000_000);
                }
            } catch (RuntimeException e) {
                log.error("The start-up drain of stored Bolna deliveries stopped; the sweep goes on with them", e);
            }
        });
    }

    @Scheduled(fixedDelayString = "PT30S", initialDelayString = "PT30S")
    @SchedulerLock(name = "bolna-webhook-retries", lockAtMostFor = "PT5M")
    void retryAndSweep() {
        webhooks.sweep();
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT1M")
    @SchedulerLock(name = "bolna-reconciliation", lockAtMostFor = "PT10M")
    void reconcile() {
        reconciliation.reconcile();
    }
}
