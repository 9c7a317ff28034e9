package ai.calling.campaign.internal;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import ai.calling.auth.AccountClosed;

/**
 * A closed account's campaigns stop in the closing transaction: cancelled, their pending recipients
 * too, so the dispatcher never dials for it again. Calls already in flight end by themselves within
 * their agent's hard limit (their agents are being deleted on Bolna).
 */
@Component
class CampaignsOfClosedAccounts {

    private static final Logger log = LoggerFactory.getLogger(CampaignsOfClosedAccounts.class);

    private final Campaigns campaigns;
    private final Recipients recipients;

    CampaignsOfClosedAccounts(Campaigns campaigns, Recipients recipients) {
        this.campaigns = campaigns;
        this.recipients = recipients;
    }

    @EventListener
    void accountClosed(AccountClosed closed) {
        List<UUID> cancelled = campaigns.cancelAllOf(closed.userId());
        cancelled.forEach(recipients::cancelPending);
        log.info("Account {} closed: {} campaign(s) cancelled", closed.userId(), cancelled.size());
    }
}
