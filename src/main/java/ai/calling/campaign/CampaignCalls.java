package ai.calling.campaign;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import ai.calling.billing.CreditsAdded;
import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.campaign.internal.Campaigns;
import ai.calling.campaign.internal.Recipients;

/**
 * What the rest of the product tells campaigns: a campaign's call has ended (its recipient completes,
 * or waits for a retry, in the transaction that ends the call, so a recipient is never left in
 * progress; a dial Bolna never placed is no attempt), any call has ended (its slot is free: the
 * dispatcher wakes; its hold is released: its account's campaigns paused for want of credits resume), and an
 * account got credits (its campaigns paused for want of them resume).
 */
@Component
class CampaignCalls {

    private static final Logger log = LoggerFactory.getLogger(CampaignCalls.class);

    private final Recipients recipients;
    private final Campaigns campaigns;
    private final Clock clock;
    private final CampaignDispatcher dispatcher;

    CampaignCalls(Recipients recipients, Campaigns campaigns, Clock clock, CampaignDispatcher dispatcher) {
        this.recipients = recipients;
        this.campaigns = campaigns;
        this.clock = clock;
        this.dispatcher = dispatcher;
    }

    @EventListener
    void callsEnded(CallsCompleted calls) {
        List<Recipients.Outcome> outcomes = new ArrayList<>();
        for (CallCompleted call : calls.calls()) {
            if (call.campaignRecipientId() == null) {
                continue;
            }
            // a dial Bolna never placed called nobody: no attempt, the recipient waits again (once in a row, so
            // that a number whose every dial is lost still uses up its attempts)
            if (!call.placed() && recipients.neverPlaced(call.campaignRecipientId(), call.callId())) {
                continue;
            }
            outcomes.add(new Recipients.Outcome(call.campaignRecipientId(), call.callId(),
                    recipientStatus(call.outcome()), call.outcome()));
        }
        recipients.recordOutcomes(outcomes, clock.instant());
    }

    /**
     * The calls' ends are committed and their platform slots free: the dispatcher's next round starts now
     * instead of after its pause ({@code CAMPAIGN_DISPATCH_INTERVAL}), once for a batch of calls. Their holds
     * are released too, so their accounts' campaigns paused for want of credits resume (the dispatcher pauses
     * them again if what is left still cannot cover a hold): a campaign paused because its own calls held the
     * credits resumed only after a purchase.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void slotsFreed(CallsCompleted calls) {
        dispatcher.wake();
        Set<UUID> accounts = calls.calls().stream().map(CallCompleted::userId).collect(Collectors.toSet());
        List<UUID> resumed = campaigns.resumePausedForCredits(accounts);
        if (!resumed.isEmpty()) {
            log.info("Campaigns {} resumed: their accounts' calls ended and released their holds", resumed);
            dispatcher.wake();
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void creditsAdded(CreditsAdded credits) {
        List<UUID> resumed = campaigns.resumePausedForCredits(List.of(credits.userId()));
        if (!resumed.isEmpty()) {
            log.info("Campaigns {} resumed: account {} got credits", resumed, credits.userId());
        }
    }

    /**
     * A recipient's status from its call's outcome (agent_call_outcomes' values): a voicemail counts as
     * no answer; a call answered and then stopped counts as completed (someone was reached).
     */
    static String recipientStatus(String outcome) {
        return switch (outcome) {
            case "completed", "disconnected" -> "completed";
            case "no_answer", "voicemail" -> "no_answer";
            case "busy" -> "busy";
            default -> "failed";
        };
    }
}
