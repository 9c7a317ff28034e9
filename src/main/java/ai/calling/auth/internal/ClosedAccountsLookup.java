package ai.calling.auth.internal;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.billing.ClosedAccounts;

/** Billing's question about an account's closure, answered from the account's row in the caller's transaction. */
@Repository
class ClosedAccountsLookup implements ClosedAccounts {

    private final JdbcClient jdbc;

    ClosedAccountsLookup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean isClosed(UUID userId) {
        return jdbc.sql("SELECT closed_at IS NOT NULL FROM users WHERE id = ?").param(userId).query(Boolean.class)
                .optional().orElse(false);
    }
}
