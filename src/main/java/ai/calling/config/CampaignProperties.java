package ai.calling.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The campaign dispatcher.
 *
 * @param dispatch  whether this instance dials campaigns ({@code CAMPAIGN_DISPATCH}); every instance
 *                  may, the database keeps them from dialling a recipient twice or exceeding a cap
 * @param interval  the pause between dispatch rounds when nothing was dialled ({@code CAMPAIGN_DISPATCH_INTERVAL});
 *                  after a round that dialled, the next starts at once
 * @param batchSize the most dials of one campaign recorded in one transaction
 * @param maxRecipientsPerUpload rows of a recipients CSV ({@code CAMPAIGN_MAX_RECIPIENTS_PER_UPLOAD})
 */
@ConfigurationProperties("app.campaigns")
public record CampaignProperties(
        @DefaultValue("true") boolean dispatch,
        @DefaultValue("1s") Duration interval,
        @DefaultValue("50") int batchSize,
        @DefaultValue("100000") int maxRecipientsPerUpload) {
}
