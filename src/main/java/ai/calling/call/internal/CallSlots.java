package ai.calling.call.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * call_slots: the platform's calls in progress at Bolna, one row per slot of
 * {@code BOLNA_MAX_CONCURRENT_CALLS}. Dials take free slots with {@code FOR UPDATE SKIP LOCKED}, so
 * instances recording dials at the same time never wait on each other and never share a slot; a
 * call's end frees its slot, and a call that goes frees it through its foreign key.
 */
@Repository
public class CallSlots {

    private final JdbcClient jdbc;

    CallSlots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes sure slots 1..{@code capacity} exist (rows above it stay, and are not taken while it holds). */
    public void provide(int capacity) {
        jdbc.sql("INSERT INTO call_slots (slot) SELECT generate_series(1, :n) ON CONFLICT DO NOTHING")
                .param("n", capacity).update();
    }

    /** Locks up to {@code wanted} free slots among 1..{@code capacity} for this transaction; returns their numbers. */
    public List<Integer> lockFree(int capacity, int wanted) {
        return jdbc.sql("""
                SELECT slot FROM call_slots WHERE slot <= :capacity AND call_id IS NULL
                 ORDER BY slot LIMIT :wanted FOR UPDATE SKIP LOCKED""")
                .param("capacity", capacity).param("wanted", wanted).query(Integer.class).list();
    }

    /** Gives each locked slot to its call (same order). */
    public void assign(List<Integer> slots, List<UUID> callIds) {
        jdbc.sql("""
                UPDATE call_slots s SET call_id = v.call, taken_at = CURRENT_TIMESTAMP
                  FROM unnest(:slots, :calls) AS v(slot, call) WHERE s.slot = v.slot""")
                .param("slots", slots.toArray(Integer[]::new)).param("calls", callIds.toArray(UUID[]::new)).update();
    }

    /** Frees the slots of these calls (calls without one are ignored). */
    public void release(Collection<UUID> callIds) {
        jdbc.sql("UPDATE call_slots SET call_id = NULL, taken_at = NULL WHERE call_id = ANY(:calls)")
                .param("calls", callIds.toArray(UUID[]::new)).update();
    }

    /** Slots in use, per account. */
    public Map<UUID, Integer> inUseByUser() {
        return jdbc.sql("""
                SELECT c.user_id, count(*) FROM call_slots s JOIN calls c ON c.id = s.call_id GROUP BY c.user_id""")
                .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getInt(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public int inUse() {
        return jdbc.sql("SELECT count(*) FROM call_slots WHERE call_id IS NOT NULL").query(Integer.class).single();
    }
}
