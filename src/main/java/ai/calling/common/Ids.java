package ai.calling.common;

import java.util.UUID;

import org.hibernate.id.uuid.UuidVersion7Strategy;

/**
 * Ids for the rows written at the highest rate (calls, webhook deliveries): version 7 UUIDs (RFC 9562),
 * a millisecond timestamp first and random bits after it. Each new key lands at the right-hand end of
 * its primary-key index instead of on a random page of it, so a table of millions of rows takes its
 * inserts on a few pages that stay in memory, and fewer pages are written whole to the WAL after each
 * checkpoint (decision 0059). Unguessable enough for ids that every read checks against its tenant anyway.
 * The generator is Hibernate's own, the one behind {@code @UuidGenerator(style = VERSION_7)} on the
 * entities, so ids the code makes and ids Hibernate makes come from one sequence.
 */
public final class Ids {

    private Ids() {
    }

    /**
     * A new version 7 UUID; ids made later in the same JVM sort after it (when the clock has not moved on,
     * or has stepped back, the last time is kept and the sequence after it counts up).
     */
    public static UUID timeOrdered() {
        // the session is not read: the strategy keeps its state (time and sequence) in the instance
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }
}
