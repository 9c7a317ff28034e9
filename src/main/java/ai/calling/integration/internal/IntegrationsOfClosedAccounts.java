package ai.calling.integration.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import ai.calling.auth.AccountClosed;

/**
 * A closed account's integrations go in the closing transaction (decision 0050): its webhook endpoints
 * (nothing is delivered to them any more, and pending deliveries go with them), its outbound events (their
 * payloads carry lead data: names, e-mails, companies) with their deliveries and attempts, its notices,
 * and its live-reader mark. With neither an endpoint nor a reader, the calls that end after the closure
 * write no event.
 */
@Component
class IntegrationsOfClosedAccounts {

    private static final Logger log = LoggerFactory.getLogger(IntegrationsOfClosedAccounts.class);

    private final JdbcClient jdbc;

    IntegrationsOfClosedAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void accountClosed(AccountClosed closed) {
        int endpoints = jdbc.sql("DELETE FROM webhook_endpoints WHERE user_id = :user").param("user", closed.userId())
                .update();
        int events = jdbc.sql("DELETE FROM outbound_events WHERE user_id = :user").param("user", closed.userId())
                .update();
        jdbc.sql("DELETE FROM integration_notifications WHERE user_id = :user").param("user", closed.userId()).update();
        jdbc.sql("DELETE FROM live_event_readers WHERE user_id = :user").param("user", closed.userId()).update();
        log.info("Account {} closed: {} webhook endpoint(s) and {} outbound event(s) deleted", closed.userId(), endpoints,
                events);
    }
}
