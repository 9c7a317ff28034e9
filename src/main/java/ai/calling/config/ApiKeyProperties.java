package ai.calling.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API keys for customers' servers.
 *
 * @param requestsPerMinute requests one key may make per minute ({@code API_KEY_REQUESTS_PER_MINUTE}),
 *                          then 429 with Retry-After; per instance
 * @param maxPerUser        keys one account may hold at once (revoked ones do not count)
 */
@ConfigurationProperties("app.api-keys")
public record ApiKeyProperties(
        @DefaultValue("600") int requestsPerMinute,
        @DefaultValue("25") int maxPerUser) {
}
