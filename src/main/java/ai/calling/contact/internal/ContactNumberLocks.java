package ai.calling.contact.internal;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Serialises the changes that give a tenant's contact a number (a create, a change of number), until the
 * transaction ends (key space 47). Whoever comes second reads the first one's committed contact and answers
 * 409 naming it; racing into the unique index instead, it failed its transaction and could not read the winner.
 */
@Repository
public class ContactNumberLocks {

    private final JdbcClient jdbc;

    ContactNumberLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void lock(UUID userId, String e164) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 47))").param("key", userId + ":" + e164)
                .query().listOfRows();
    }
}
