package ai.calling.webhook.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ai.calling.webhook.BolnaReconciliation;
import ai.calling.webhook.BolnaWebhookService;

/** The scheduled side of webhook ingestion: retries with backoff, and reconciliation of lost webhooks. */
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
