package ai.calling.billing;

import java.util.UUID;

/**
 * Published, in its transaction, by the movement or hold that takes an account's available credits
 * from at least {@code threshold} ({@code low_credit_threshold}) to below it: once per fall.
 */
public record CreditsLow(UUID userId, int credits, long held, long available, int threshold) {
}
