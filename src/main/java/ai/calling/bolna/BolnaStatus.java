package ai.calling.bolna;

import java.util.Locale;
import java.util.Map;

/**
 * How a Bolna execution status maps onto our call: the lifecycle stage it proves (ranked, so the
 * lifecycle only moves forward) and the call status it ends in, if it is terminal. Parsed
 * case-insensitively, {@code _} and {@code -} alike. The table is documented in docs/bolna-webhooks.md.
 */
public enum BolnaStatus {

    SCHEDULED(0, null), QUEUED(0, null), RESCHEDULED(0, null), INITIATED(0, null),
    RINGING(1, null),
    IN_PROGRESS(2, null),
    CALL_DISCONNECTED(3, null),
    COMPLETED(3, "completed"),
    NO_ANSWER(3, "failed"), BUSY(3, "failed"), BALANCE_LOW(3, "failed"), FAILED(3, "failed"), ERROR(3, "failed"),
    CANCELED(3, "cancelled"), STOPPED(3, "cancelled"),
    UNKNOWN(-1, null);

    private static final String[] LIFECYCLE = { "initiated", "ringing", "answered", "disconnected" };

    private static final Map<String, BolnaStatus> ALIASES = Map.of("cancelled", CANCELED, "in_progress", IN_PROGRESS,
            "no_answer", NO_ANSWER, "call_disconnected", CALL_DISCONNECTED);

    private final int rank;
    private final String terminalStatus;

    BolnaStatus(int rank, String terminalStatus) {
        this.rank = rank;
        this.terminalStatus = terminalStatus;
    }

    public static BolnaStatus of(String raw) {
        if (raw == null || raw.isBlank()) {
            return UNKNOWN;
        }
        String key = raw.trim().toLowerCase(Locale.ROOT);
        if (ALIASES.containsKey(key)) {
            return ALIASES.get(key);
        }
        try {
            return valueOf(key.replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    public boolean terminal() {
        return terminalStatus != null;
    }

    /** The call status a terminal status ends in (completed, failed or cancelled); null while not terminal. */
    public String callStatus() {
        return terminalStatus;
    }

    /** The lifecycle stage this status proves (initiated, ringing, answered, disconnected); null when unknown. */
    public String lifecycle() {
        return rank < 0 ? null : LIFECYCLE[rank];
    }

    /** Whether this status moves a call whose lifecycle stage is {@code current} forward. */
    public boolean advances(String current) {
        return rank >= 0 && rank > rankOf(current);
    }

    private static int rankOf(String lifecycle) {
        for (int i = 0; i < LIFECYCLE.length; i++) {
            if (LIFECYCLE[i].equals(lifecycle)) {
                return i;
            }
        }
        return 0;
    }
}
