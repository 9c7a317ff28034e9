package ai.calling.billing;

/**
 * What a call may cost: its agent's hard limit ({@code maxCallDurationSeconds}, enforced by Bolna),
 * the price per started minute when it was dialled, and so the most it can cost ({@code amount}).
 * A call is charged in 64-bit arithmetic and never above its hold, whatever duration a provider reports.
 */
public record HoldTerms(int amount, int creditsPerMinute, int maxCallDurationSeconds) {

    /** The longest hard limit an agent may have: bounds calls that have no hold. */
    public static final int LONGEST_CALL_SECONDS = 3600;

    /** The terms of a call of at most {@code maxCallDurationSeconds} at {@code creditsPerMinute}. */
    public static HoldTerms of(int maxCallDurationSeconds, int creditsPerMinute) {
        if (maxCallDurationSeconds <= 0 || creditsPerMinute < 0) {
            throw new IllegalArgumentException("a hold needs a positive duration and a price of at least 0");
        }
        long amount = startedMinutes(maxCallDurationSeconds) * creditsPerMinute;
        return new HoldTerms(Math.toIntExact(amount), creditsPerMinute, maxCallDurationSeconds);
    }

    /**
     * The charge of a call that lasted {@code reportedSeconds} (any non-negative number; reports beyond
     * the hard limit are bounded by it): billed seconds, started minutes and credits, at most the hold.
     */
    public Charge charge(long reportedSeconds) {
        long seconds = Math.clamp(reportedSeconds, 0, maxCallDurationSeconds);
        long minutes = startedMinutes(seconds);
        long credits = Math.min(amount, minutes * creditsPerMinute);
        return new Charge((int) seconds, (int) minutes, (int) credits);
    }

    static long startedMinutes(long seconds) {
        return seconds / 60 + (seconds % 60 == 0 ? 0 : 1);
    }

    /** Billed seconds (bounded by the hard limit), started minutes and the credits they cost. */
    public record Charge(int seconds, int minutes, int credits) {
    }
}
