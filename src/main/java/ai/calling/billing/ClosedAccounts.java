package ai.calling.billing;

import java.util.UUID;

/**
 * Whether an account has been closed by its owner. Implemented by the module that owns accounts (auth), which
 * depends on billing: billing asks through this interface rather than reading the accounts' rows or depending
 * on auth in turn.
 */
public interface ClosedAccounts {

    /**
     * Whether the account is closed, as committed now; asked under the account's balance lock, which a closure
     * also takes (it updates the account's row), so the answer holds until the asking transaction ends.
     */
    boolean isClosed(UUID userId);
}
