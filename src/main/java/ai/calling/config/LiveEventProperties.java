package ai.calling.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live events ({@code GET /api/events}, Server-Sent Events).
 *
 * @param maxStreamsPerUser streams one account may hold open on one instance (then 429)
 * @param heartbeat         the interval of the comment lines that keep idle streams (and proxies) alive
 * @param resumeWindow      how far back {@code Last-Event-ID} can resume from (at least an hour)
 * @param streamTimeout     how long one stream stays open; the client reconnects with Last-Event-ID
 */
@ConfigurationProperties("app.live-events")
public record LiveEventProperties(
        @DefaultValue("5") int maxStreamsPerUser,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("1h") Duration resumeWindow,
        @DefaultValue("30m") Duration streamTimeout) {
}
