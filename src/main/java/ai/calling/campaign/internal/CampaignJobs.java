package ai.calling.campaign.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The campaigns' scheduled repair: recipients left in progress by a refused dial that was never settled, and
 * recipients left pending in cancelled campaigns.
 */
@Component
@ConditionalOnProperty(name = "app.jobs.enabled", havingValue = "true", matchIfMissing = true)
class CampaignJobs {

    private final OrphanedRecipients orphaned;

    CampaignJobs(OrphanedRecipients orphaned) {
        this.orphaned = orphaned;
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT2M")
    @SchedulerLock(name = "campaign-orphaned-recipients", lockAtMostFor = "PT10M")
    void putBackOrphanedRecipients() {
        orphaned.putBack();
        orphaned.cancelLeftInCancelledCampaigns();
    }
}
