package ai.calling.auth.internal;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.billing.ClosedAccounts;

/**
 * Whether an account is closed, from its row in the caller's transaction: billing asks through its own interface,
 * the other modules through {@link ai.calling.auth.UserAdministration#isClosed}.
 */
@Repository
public class ClosedAccountsLookup implements ClosedAccounts {

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
