package ai.calling.integration.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.auth.UserAdministration;
import ai.calling.common.mail.Mailer;
import ai.calling.common.mail.OutgoingMail;
import ai.calling.config.OutboundWebhookProperties;

/**
 * Delivers the outbox: each worker thread leases one due delivery (one short statement), sends it
 * with no transaction open and no connection held, then records the attempt and its outcome in one
 * short transaction. A delivery whose worker dies (the instance is killed) is leased again when its
 * lease runs out: delivered at least once. Failures are retried with back-off ({@link RetrySchedule})
 * until the delivery is {@code retryFor} old; an endpoint failing for {@code disableAfter} without a
 * success is disabled, and its owner gets a notification row and a mail.
 */
@Component
class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final OutboxStore outbox;
    private final WebhookEndpointStore endpoints;
    private final WebhookSender sender;
    private final DeliverySignal signal;
    private final OutboundWebhookProperties properties;
    private final TransactionTemplate transactions;
    private final UserAdministration users;
    private final Mailer mailer;
    private final RetrySchedule schedule;
    private final Duration lease;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private final AtomicLong lastPrune = new AtomicLong(System.nanoTime() - Duration.ofHours(1).toNanos());

    DeliveryWorker(OutboxStore outbox, WebhookEndpointStore endpoints, WebhookSender sender, DeliverySignal signal,
            OutboundWebhookProperties properties, TransactionTemplate transactions, UserAdministration users,
            Mailer mailer) {
        this.outbox = outbox;
        this.endpoints = endpoints;
        this.sender = sender;
        this.signal = signal;
        this.properties = properties;
        this.transactions = transactions;
        this.users = users;
        this.mailer = mailer;
        this.schedule = new RetrySchedule(properties.firstRetryDelay(), properties.maxRetryDelay());
        // longer than any attempt can take, so a lease runs out only when its worker is gone
        this.lease = properties.lease();
    }

    @Override
    public synchronized void start() {
        if (running || !properties.deliver()) {
            return;
        }
        running = true;
        for (int i = 0; i < Math.max(1, properties.workers()); i++) {
            Thread thread = Thread.ofPlatform().name("webhook-delivery-" + i).daemon().unstarted(this::loop);
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(properties.timeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                if (!deliverOne()) {
                    pruneWhenDue();
                    signal.await(properties.pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database is out of reach, typically: try again after a pause
                log.warn("Webhook delivery round failed: {}", e.toString());
                try {
                    Thread.sleep(properties.pollInterval().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** When idle, at most once an hour per instance: old events and their logs go (bounded batches). */
    private void pruneWhenDue() {
        long now = System.nanoTime();
        long last = lastPrune.get();
        if (now - last < PRUNE_EVERY.toNanos() || !lastPrune.compareAndSet(last, now)) {
            return;
        }
        int pruned;
        do {
            pruned = outbox.prune(properties.retention(), 5_000);
        } while (pruned == 5_000 && running);
    }

    /** Leases and attempts one delivery; false when none was due. */
    boolean deliverOne() {
        List<OutboxStore.Leased> leased = outbox.lease(1, lease);
        if (leased.isEmpty()) {
            return false;
        }
        attempt(leased.getFirst());
        return true;
    }

    private void attempt(OutboxStore.Leased delivery) {
        Instant at = Instant.now();
        long timestamp = at.getEpochSecond();
        List<String> secrets = delivery.previousSecret() == null ? List.of(delivery.secret())
                : List.of(delivery.secret(), delivery.previousSecret());
        String webhookId = delivery.eventId().toString();
        WebhookSender.Outcome outcome = sender.send(delivery.url(), webhookId, timestamp,
                WebhookSigner.header(secrets, webhookId, timestamp, delivery.body()), delivery.body());
        String error = outcome.error() == null ? null : outcome.error().substring(0, Math.min(500, outcome.error().length()));
        Boolean disabled = transactions.execute(status -> {
            outbox.recordAttempt(delivery.id(), at, outcome.status(), outcome.durationMs(), error);
            if (outcome.succeeded()) {
                outbox.succeeded(delivery.id(), at, outcome.status(), outcome.durationMs());
                endpoints.succeeded(delivery.endpointId());
                return false;
            }
            outbox.failed(delivery.id(), at, outcome.status(), outcome.durationMs(),
                    error == null ? "answered " + outcome.status() : error, schedule.delayAfter(delivery.attempt()),
                    properties.retryFor());
            if (endpoints.failingFor(delivery.endpointId(), properties.disableAfter())
                    && endpoints.disable(delivery.endpointId(), "Failed for " + properties.disableAfter().toHours()
                            + " hours without a success")) {
                endpoints.notify(delivery.userId(), delivery.endpointId(), "webhook_endpoint_disabled",
                        "Your webhook endpoint " + delivery.url() + " was disabled: every delivery to it failed for "
                                + properties.disableAfter().toHours() + " hours. Fix it and enable it again.");
                return true;
            }
            return false;
        });
        if (Boolean.TRUE.equals(disabled)) {
            notifyByMail(delivery.userId(), delivery.endpointId(), delivery.url());
        }
    }

    private void notifyByMail(UUID userId, UUID endpointId, String url) {
        try {
            String email = users.get(userId).email();
            mailer.send(new OutgoingMail(email, "Your webhook endpoint was disabled",
                    "Every delivery to your webhook endpoint " + OutgoingMail.singleLine(url) + " (" + endpointId
                            + ") failed for " + properties.disableAfter().toHours() + " hours, so it was disabled.\n\n"
                            + "Fix the endpoint, then enable it again (PATCH /api/webhook-endpoints/" + endpointId
                            + " {\"enabled\": true}); failed deliveries can be redelivered from its delivery log."));
        } catch (RuntimeException e) {
            // the notification row is written; the mail is a courtesy
            log.warn("Could not mail the owner of disabled webhook endpoint {}: {}", endpointId, e.toString());
        }
    }
}
