package ai.calling.integration.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import ai.calling.auth.AddressReclaimed;

/**
 * An account whose address its owner has just proved by a password reset (decision 0007): its webhook endpoints,
 * set up by whoever held the account before, possibly someone else, are disabled in the reset's transaction, so
 * that no call, transcript or lead goes to them until the owner has looked at each and enabled it again. Those
 * disabled already get the same reason (enabling one sends it what waited meanwhile). Kept, not deleted: the
 * owner's own endpoints come back with one change.
 */
@Component
class IntegrationsOfReclaimedAccounts {

    static final String REASON = "The account's address was proved by a password reset; check this endpoint and "
            + "enable it again if it is yours";
    private static final Logger log = LoggerFactory.getLogger(IntegrationsOfReclaimedAccounts.class);

    private final WebhookEndpointStore endpoints;

    IntegrationsOfReclaimedAccounts(WebhookEndpointStore endpoints) {
        this.endpoints = endpoints;
    }

    @EventListener
    void addressReclaimed(AddressReclaimed reclaimed) {
        int disabled = endpoints.disableAll(reclaimed.userId(), REASON);
        if (disabled > 0) {
            log.info("Account {} reclaimed by a password reset: {} webhook endpoint(s) disabled", reclaimed.userId(),
                    disabled);
        }
    }
}
