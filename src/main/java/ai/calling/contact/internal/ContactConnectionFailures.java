package ai.calling.contact.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The writes on contacts of call processing (webhooks, lead analyses), each a single race-free statement. */
@Repository
public class ContactConnectionFailures {

    private final JdbcClient jdbc;

    ContactConnectionFailures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Fills the contact's empty name, e-mail and company, never overwriting a value (null leaves a field
     * alone). One statement, so the row is locked where the caller writes it: a lead analysis writes it
     * before its analytics, whose account lock then comes last, as in a webhook batch (decision 0057).
     */
    public void fillBlanks(UUID userId, String e164, String name, String email, String company) {
        jdbc.sql("""
                UPDATE contacts SET name = COALESCE(name, CAST(:name AS text)),
                                    email = COALESCE(email, CAST(:email AS text)),
                                    company = COALESCE(company, CAST(:company AS text))
                 WHERE user_id = :user AND phone_number = :phone
                   AND ((name IS NULL AND CAST(:name AS text) IS NOT NULL)
                        OR (email IS NULL AND CAST(:email AS text) IS NOT NULL)
                        OR (company IS NULL AND CAST(:company AS text) IS NOT NULL))""")
                .param("name", name).param("email", email).param("company", company)
                .param("user", userId).param("phone", e164)
                .update();
    }

    /** A contact to find, or to create as auto-created by the webhook, remembering the call. */
    public record AutoContact(UUID userId, String e164, String name, UUID callId) {
    }

    /**
     * The ids of the tenants' contacts with these numbers (in the order given), created where missing:
     * one insert that leaves existing rows alone (also a row another transaction has just inserted; in a
     * fixed order, so that two batches waiting on each other's new rows cannot deadlock), one read.
     */
    public List<UUID> findOrCreateAutoContacts(List<AutoContact> wanted) {
        if (wanted.isEmpty()) {
            return List.of();
        }
        List<AutoContact> sorted = wanted.stream()
                .sorted(Comparator.comparing(AutoContact::userId).thenComparing(AutoContact::e164)).toList();
        jdbc.sql("""
                INSERT INTO contacts (user_id, phone_number, name, is_auto_created, auto_creation_source,
                                      auto_created_from_call_id)
                SELECT u, phone, name, true, 'webhook', call
                  FROM unnest(:users, :phones, :names, :calls) WITH ORDINALITY AS v(u, phone, name, call, n)
                 ORDER BY n
                ON CONFLICT (user_id, phone_number) DO NOTHING""")
                .param("users", sorted.stream().map(AutoContact::userId).toArray(UUID[]::new))
                .param("phones", sorted.stream().map(AutoContact::e164).toArray(String[]::new))
                .param("names", sorted.stream().map(AutoContact::name).toArray(String[]::new))
                .param("calls", sorted.stream().map(AutoContact::callId).toArray(UUID[]::new))
                .update();
        Map<String, UUID> ids = new HashMap<>();
        jdbc.sql("""
                SELECT c.id, c.user_id, c.phone_number FROM contacts c
                  JOIN unnest(:users, :phones) AS v(u, phone) ON c.user_id = v.u AND c.phone_number = v.phone""")
                .param("users", wanted.stream().map(AutoContact::userId).toArray(UUID[]::new))
                .param("phones", wanted.stream().map(AutoContact::e164).toArray(String[]::new))
                .query(rs -> {
                    ids.put(key(rs.getObject(2, UUID.class), rs.getString(3)), rs.getObject(1, UUID.class));
                });
        return wanted.stream().map(contact -> {
            UUID id = ids.get(key(contact.userId(), contact.e164()));
            if (id == null) {
                throw new IllegalStateException("The contact of " + contact.callId() + " was neither found nor created");
            }
            return id;
        }).toList();
    }

    private static String key(UUID userId, String e164) {
        return userId + " " + e164;
    }

    public boolean countOnce(UUID userId, UUID contactId, UUID callId) {
        int first = jdbc.sql("""
                INSERT INTO contact_connection_failures (call_id, contact_id, user_id)
                VALUES (:call, :contact, :user) ON CONFLICT (call_id) DO NOTHING""")
                .param("call", callId).param("contact", contactId).param("user", userId).update();
        if (first == 0) {
            return false;
        }
        jdbc.sql("UPDATE contacts SET not_connected = not_connected + 1 WHERE id = :id AND user_id = :user")
                .param("id", contactId).param("user", userId).update();
        return true;
    }
}
