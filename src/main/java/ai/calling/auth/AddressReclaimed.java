package ai.calling.auth;

import java.util.UUID;

/**
 * Published inside the transaction of a password reset that confirms an account's address for the first time:
 * the reset's mail proved the address, and whoever registered with it before (verification not required, so
 * possibly someone else) no longer holds the account. Its sessions are ended and its API keys revoked by then;
 * listeners turn off, in the same transaction, what the registrant set up to receive or grant the account's data
 * (decision 0007).
 */
public record AddressReclaimed(UUID userId) {
}
