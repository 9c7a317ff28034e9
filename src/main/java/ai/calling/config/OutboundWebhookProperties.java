package ai.calling.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbound webhooks to customers' systems.
 *
 * @param allowedNetworks  CIDRs a webhook URL may resolve to although they are private, loopback or
 *                         link-local ({@code OUTBOUND_WEBHOOK_ALLOWED_NETWORKS}, comma separated; empty by default)
 * @param deliver          whether this instance runs delivery workers (every instance may: deliveries are leased)
 * @param workers          deliveries in flight at once on this instance
 * @param pollInterval     the pause between looks for due deliveries when none was found
 * @param timeout          the most one attempt may take (connect and answer)
 * @param lease            how long a delivery in flight stays reserved for the worker sending it: another
 *                         instance takes it over only once the lease has run out (its sender was killed).
 *                         Unset: three timeouts plus 30 s. At least twice the timeout, so that a live sender
 *                         still waiting for an answer, or recording it, never sees its delivery sent again
 * @param maxResponseBytes the most of an answer read (the rest is ignored)
 * @param firstRetryDelay  the delay before the second attempt; each later one is four times longer, with jitter
 * @param maxRetryDelay    the longest delay between two attempts
 * @param retryFor         how long a delivery is retried before it is given up (at least 24 hours)
 * @param disableAfter     how long an endpoint may fail without one success before it is disabled
 * @param maxEndpointsPerUser endpoints one account may register
 * @param retention        how long delivered (or given up) events and their delivery logs are kept
 */
@ConfigurationProperties("app.outbound-webhooks")
public record OutboundWebhookProperties(
        @DefaultValue List<String> allowedNetworks,
        @DefaultValue("true") boolean deliver,
        @DefaultValue("4") int workers,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10s") Duration timeout,
        Duration lease,
        @DefaultValue("65536") int maxResponseBytes,
        @DefaultValue("5s") Duration firstRetryDelay,
        @DefaultValue("6h") Duration maxRetryDelay,
        @DefaultValue("72h") Duration retryFor,
        @DefaultValue("72h") Duration disableAfter,
        @DefaultValue("20") int maxEndpointsPerUser,
        @DefaultValue("30d") Duration retention) {

    public OutboundWebhookProperties {
        allowedNetworks = allowedNetworks == null ? List.of()
                : allowedNetworks.stream().map(String::trim).filter(cidr -> !cidr.isEmpty()).toList();
        if (lease == null) {
            lease = timeout.multipliedBy(3).plusSeconds(30);
        } else if (lease.compareTo(timeout.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("app.outbound-webhooks.lease (" + lease
                    + ") must be at least twice app.outbound-webhooks.timeout (" + timeout + ")");
        }
    }
}
