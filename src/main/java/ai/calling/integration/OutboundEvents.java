package ai.calling.integration;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import ai.calling.billing.CreditsLow;
import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.call.CallService;
import ai.calling.campaign.CampaignCompleted;
import ai.calling.campaign.CampaignService;
import ai.calling.integration.WebhookDtos.QueuedDelivery;
import ai.calling.integration.internal.DeliverySignal;
import ai.calling.integration.internal.LiveEventHub;
import ai.calling.integration.internal.OutboxStore;
import ai.calling.lead.LeadAnalysisCompleted;
import ai.calling.lead.LeadIntelligence;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox: the owning modules publish their events synchronously inside the
 * transaction of the change, and these listeners write the outbound event and its deliveries in
 * that same transaction ({@code MANDATORY}: there is always one), so an event exists if and only if
 * its change committed. A tenant without a subscribed endpoint or a recent live events reader costs
 * one indexed lookup and nothing is written. The delivery worker is woken once the transaction has committed.
 */
@Service
public class OutboundEvents {

    public static final String CALL_COMPLETED = "call.completed";
    public static final String CALL_FAILED = "call.failed";
    public static final String LEAD_ANALYZED = "lead.analyzed";
    public static final String CAMPAIGN_COMPLETED = "campaign.completed";
    public static final String CREDITS_LOW = "credits.low";
    static final String WEBHOOK_TEST = "webhook.test";

    private final OutboxStore outbox;
    private final DeliverySignal signal;
    private final LiveEventHub hub;
    private final CallService calls;
    private final LeadIntelligence leads;
    private final CampaignService campaigns;
    private final JsonMapper json;
    private final Clock clock;

    OutboundEvents(OutboxStore outbox, DeliverySignal signal, LiveEventHub hub, CallService calls,
            LeadIntelligence leads, CampaignService campaigns, JsonMapper json, Clock clock) {
        this.outbox = outbox;
        this.signal = signal;
        this.hub = hub;
        this.calls = calls;
        this.leads = leads;
        this.campaigns = campaigns;
        this.json = json;
        this.clock = clock;
    }

    /**
     * {@code call.completed} for each call of the batch that ended completed, {@code call.failed} for every
     * other end, where its account wants it (asked in one statement for the batch).
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(CallsCompleted events) {
        if (events.calls().isEmpty()) {
            return;
        }
        List<OutboxStore.Wanted> asked = events.calls().stream()
                .map(event -> new OutboxStore.Wanted(event.userId(), callType(event))).distinct().toList();
        Set<OutboxStore.Wanted> wanted = outbox.wantedOf(asked, hub.readerWindow());
        for (CallCompleted event : events.calls()) {
            String type = callType(event);
            if (wanted.contains(new OutboxStore.Wanted(event.userId(), type))) {
                // the call as GET /api/calls/{id} shows it (campaignId included), read in this transaction
                publish(event.userId(), type, calls.get(event.userId(), event.callId()));
            }
        }
    }

    private static String callType(CallCompleted event) {
        return "completed".equals(event.status()) ? CALL_COMPLETED : CALL_FAILED;
    }

    /** {@code lead.analyzed}: the call's analysis and the number's complete analysis. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(LeadAnalysisCompleted event) {
        if (wanted(event.userId(), LEAD_ANALYZED)) {
            leads.analysisOfCall(event.userId(), event.callId())
                    .ifPresent(analysis -> publish(event.userId(), LEAD_ANALYZED, analysis));
        }
    }

    /** {@code campaign.completed}: the campaign as {@code GET /api/campaigns/{id}} shows it, with its stats. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(CampaignCompleted event) {
        if (wanted(event.userId(), CAMPAIGN_COMPLETED)) {
            publish(event.userId(), CAMPAIGN_COMPLETED, campaigns.get(event.userId(), event.campaignId()));
        }
    }

    /** {@code credits.low}: the balance as {@code GET /api/credits/balance} shows it, and the threshold crossed. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(CreditsLow event) {
        if (wanted(event.userId(), CREDITS_LOW)) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("credits", event.credits());
            data.put("held", event.held());
            data.put("available", event.available());
            data.put("threshold", event.threshold());
            publish(event.userId(), CREDITS_LOW, data);
        }
    }

    /** Whether anyone takes the tenant's events of this type: a subscribed endpoint, or a recent live reader. */
    private boolean wanted(UUID userId, String type) {
        return outbox.wanted(userId, type, hub.readerWindow());
    }

    /** Writes an event of this type and its deliveries to the tenant's subscribed endpoints. */
    void publish(UUID userId, String type, Object data) {
        UUID eventId = outbox.insertEvent(userId, type, body(type, data));
        if (outbox.insertDeliveries(eventId, userId, type) > 0) {
            wakeAfterCommit();
        }
    }

    /** A test event to one endpoint, in the caller's transaction. */
    QueuedDelivery testEvent(UUID userId, UUID endpointId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpointId", endpointId);
        data.put("message", "A test event: your endpoint received and verified it if you can read this.");
        UUID eventId = outbox.insertEvent(userId, WEBHOOK_TEST, body(WEBHOOK_TEST, data));
        UUID deliveryId = outbox.insertDelivery(eventId, endpointId, userId);
        wakeAfterCommit();
        return new QueuedDelivery(deliveryId, eventId, "pending");
    }

    void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal.wake();
                }
            });
        } else {
            signal.wake();
        }
    }

    private String body(String type, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", clock.instant().toString());
        body.put("data", data);
        return json.writeValueAsString(body);
    }
}
