package ai.calling.campaign.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.call.CallService;
import ai.calling.campaign.internal.Recipients.InProgress;

/**
 * Recipients left behind. Pending ones in cancelled campaigns: a call that ended while its campaign was being
 * cancelled put its recipient back for a retry (it read the campaign as running). In progress ones whose dial
 * no longer exists: a dial Bolna refuses or throttles is deleted
 * in the dialer's transaction and its recipient is put back in the dispatcher's next one; an instance that
 * dies between the two commits (or a second transaction that fails) leaves the recipient in progress with no
 * call: no call will ever end for it, and its campaign never completes and keeps one of its concurrent calls
 * taken. Such recipients wait again, the attempt not counted, as the dispatcher would have put them (cancelled
 * when their campaign was meanwhile).
 */
@Component
public class OrphanedRecipients {

    /** Longer than a dial's recording, sending and settling take: a recipient younger than this may be mid-dial. */
    static final Duration SETTLED_AFTER = Duration.ofMinutes(2);
    static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(OrphanedRecipients.class);

    private final Recipients recipients;
    private final CallService calls;
    private final TransactionTemplate transactions;

    OrphanedRecipients(Recipients recipients, CallService calls, TransactionTemplate transactions) {
        this.recipients = recipients;
        this.calls = calls;
        this.transactions = transactions;
    }

    /**
     * Cancels the recipients left pending in cancelled campaigns (a call that ended during the cancel put its
     * recipient back for a retry); returns how many.
     */
    public int cancelLeftInCancelledCampaigns() {
        int cancelled = recipients.cancelPendingOfCancelledCampaigns();
        if (cancelled > 0) {
            log.info("{} campaign recipient(s) left pending in cancelled campaigns were cancelled", cancelled);
        }
        return cancelled;
    }

    /** Puts back the recipients in progress whose call does not exist; returns how many. */
    public int putBack() {
        List<InProgress> inProgress = recipients.inProgressSince(SETTLED_AFTER, BATCH);
        if (inProgress.isEmpty()) {
            return 0;
        }
        Set<UUID> existing = calls.existingCalls(inProgress.stream().map(InProgress::callId).toList());
        List<InProgress> orphaned = inProgress.stream().filter(one -> !existing.contains(one.callId())).toList();
        if (!orphaned.isEmpty()) {
            // each update names the call it expects: a recipient that moved on meanwhile is left alone
            transactions.executeWithoutResult(status -> orphaned.forEach(one -> recipients.putBack(one.recipientId(),
                    one.callId())));
            log.warn("{} campaign recipient(s) were in progress with no call (a refused dial not settled); put back",
                    orphaned.size());
        }
        return orphaned.size();
    }
}
