package ai.calling.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * Published inside the transaction that closes an account (the owner's own request, password
 * confirmed). The account is inactive and its sessions are ended by then. Listeners that only
 * change our own tables react in that same transaction, so the closure and the erasure commit
 * together; a listener that calls a provider does so after the commit, from an intent it recorded
 * in the transaction.
 */
public record AccountClosed(UUID userId, Instant closedAt) {
}
