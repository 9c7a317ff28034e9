package ai.calling.auth.internal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * One lock for every change that can leave the platform without an active super_admin (a demotion, a
 * deactivation, a closure, a removal from a team), held until the transaction ends. Taken before any account's
 * row is locked or read for the change, so it closes no cycle with those rows' locks (locking every super_admin's
 * row instead, after the target's, could deadlock with a change locking them the other way round), and the
 * change reads what the previous one committed.
 */
@Repository
public class SuperAdminChanges {

    /** Advisory lock key (two-int form, apart from the single-key locks elsewhere): the super_admin set. */
    private static final int KEY = 46;

    private final JdbcClient jdbc;

    SuperAdminChanges(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(" + KEY + ", 0)").query().listOfRows();
    }
}
