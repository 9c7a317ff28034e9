package ai.calling.campaign;

import java.util.UUID;

/** Published in the transaction that completes a campaign (every recipient done). */
public record CampaignCompleted(UUID userId, UUID campaignId) {
}
