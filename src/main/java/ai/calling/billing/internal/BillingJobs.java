package ai.calling.billing.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ai.calling.billing.StripeWebhookService;

/** The scheduled side of billing: refunds of closed accounts' payments that Stripe did not take at once. */
@Component
@ConditionalOnProperty(name = "app.jobs.enabled", havingValue = "true", matchIfMissing = true)
class BillingJobs {

    private final StripeWebhookService stripe;

    BillingJobs(StripeWebhookService stripe) {
        this.stripe = stripe;
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT2M")
    // at most 20 asks a run, each up to about 40 s (a 15 s read timeout, asked twice)
    @SchedulerLock(name = "stripe-closed-account-refunds", lockAtMostFor = "PT30M")
    void refundPaymentsOfClosedAccounts() {
        stripe.refundPaymentsOfClosedAccounts();
    }
}
