package ai.calling.billing;

import java.util.UUID;

/** Published when an account's balance grows (a purchase, a bonus, a positive adjustment), in its transaction. */
public record CreditsAdded(UUID userId, int amount) {
}
