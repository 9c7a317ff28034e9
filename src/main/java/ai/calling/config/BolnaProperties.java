package ai.calling.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bolna.ai voice agent platform.
 *
 * @param apiKey        API key ({@code BOLNA_API_KEY}); without it the Bolna features answer 503
 * @param baseUrl       API base ({@code BOLNA_BASE_URL})
 * @param webhookSecret shared secret in the webhook URL ({@code BOLNA_WEBHOOK_SECRET}); without it
 *                      every webhook is refused
 * @param readTimeout   how long to wait for Bolna's answer
 * @param webhookAllowedIps    if not empty, the only client addresses whose webhooks are accepted
 *                             ({@code BOLNA_WEBHOOK_ALLOWED_IPS}); behind a proxy, set
 *                             {@code server.forward-headers-strategy=native} and
 *                             {@code server.tomcat.remoteip.internal-proxies} so that only the
 *                             proxy's X-Forwarded-For is believed (docs/bolna-webhooks.md)
 * @param reconcileAfter       how long a call may stay unfinished before reconciliation asks Bolna
 * @param webhookWorkers       threads applying stored events to their calls, each in batches
 *                             ({@code BOLNA_WEBHOOK_WORKERS}); one avoids lock waits between batches
 * @param webhookProcessingShare the share of the time processing may take while deliveries arrive at more
 *                             than 1.5 times what it applies at full speed, a burst
 *                             ({@code BOLNA_WEBHOOK_PROCESSING_SHARE}, above 0, at most 1 = no yielding);
 *                             a stream it keeps up with is applied as it arrives, and it runs at full
 *                             speed as soon as a burst eases
 * @param webhookYieldAboveLoad processing yields to a burst only while the journal's writer is busy at
 *                             least this share of the time ({@code BOLNA_WEBHOOK_YIELD_ABOVE_LOAD}, 0 to 1;
 *                             0 = whatever its load)
 * @param webhookMaxLag        how long a stored delivery may wait for processing before processing stops
 *                             yielding to deliveries ({@code BOLNA_WEBHOOK_MAX_LAG}): a burst is
 *                             acknowledged first, a sustained load is applied within about this delay
 * @param webhookQueueCapacity stored deliveries queued in memory for the processors
 *                             ({@code BOLNA_WEBHOOK_QUEUE_CAPACITY}); beyond it a delivery is stored and
 *                             acknowledged all the same, and the processors read it from the database once
 *                             they have caught up with the queue
 * @param maxConcurrentCalls   Bolna's account concurrency, shared by every tenant
 *                             ({@code BOLNA_MAX_CONCURRENT_CALLS}): dials we place in progress at once
 * @param recordingHosts       the only hosts recordings are fetched from ({@code BOLNA_RECORDING_HOSTS}):
 *                             a host name (its scheme's default port) or {@code host:port}
 */
@ConfigurationProperties("app.bolna")
public record BolnaProperties(
        String apiKey,
        @DefaultValue("https://api.bolna.ai") URI baseUrl,
        String webhookSecret,
        @DefaultValue("15s") Duration readTimeout,
        @DefaultValue List<String> webhookAllowedIps,
        @DefaultValue("30m") Duration reconcileAfter,
        @DefaultValue("1") int webhookWorkers,
        @DefaultValue("0.2") double webhookProcessingShare,
        @DefaultValue("0.5") double webhookYieldAboveLoad,
        @DefaultValue("30s") Duration webhookMaxLag,
        @DefaultValue("20000") int webhookQueueCapacity,
        @DefaultValue("50") int maxConcurrentCalls,
        @DefaultValue("bolna-call-recordings.s3.ap-south-1.amazonaws.com") List<String> recordingHosts) {

    public boolean apiConfigured() {
        return Secrets.isSet(apiKey);
    }

    @Override
    public String toString() {
        return "BolnaProperties[apiKey=" + Secrets.mask(apiKey) + ", baseUrl=" + baseUrl
                + ", webhookSecret=" + Secrets.mask(webhookSecret) + "]";
    }
}
