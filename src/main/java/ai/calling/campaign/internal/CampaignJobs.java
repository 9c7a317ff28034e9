package ai.calling.campaign.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The campaigns' scheduled repair: recipients left in progress by a refused dial that was never settled,
 * recipients left pending in cancelled campaigns, and campaigns paused for credits that a call's end released
 * while they were being paused (they resume; the dispatcher pauses again those still short).
 */
@Component
@ConditionalOnProperty(name = "app.jobs.enabled", havingValue = "true", matchIfMissing = true)
class CampaignJobs {

    private final OrphanedRecipients orphaned;
    private final Campaigns campaigns;

    CampaignJobs(OrphanedRecipients orphaned, Campaigns campaigns) {
        this.orphaned = orphaned;
        this.campaigns = campaigns;
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT2M")
    @SchedulerLock(name = "campaign-orphaned-recipients", lockAtMostFor = "PT10M")
    void putBackOrphanedRecipients() {
        orphaned.putBack();
        orphaned.cancelLeftInCancelledCampaigns();
        campaigns.resumeEveryPausedForCredits();
    }
}
