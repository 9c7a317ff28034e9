package ai.calling.contact.internal;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The webhook-facing writes on contacts, each a single race-free statement. */
@Repository
public class ContactConnectionFailures {

    private final JdbcClient jdbc;
    private final ContactRepository contacts;

    ContactConnectionFailures(JdbcClient jdbc, ContactRepository contacts) {
        this.jdbc = jdbc;
        this.contacts = contacts;
    }

    public Contact findOrCreateAutoContact(UUID userId, String e164, String name, UUID callId) {
        jdbc.sql("""
                INSERT INTO contacts (user_id, phone_number, name, is_auto_created, auto_creation_source,
                                      auto_created_from_call_id)
                VALUES (:user, :phone, :name, true, 'webhook', :call)
                ON CONFLICT (user_id, phone_number) DO NOTHING""")
                .param("user", userId).param("phone", e164).param("name", name).param("call", callId).update();
        return contacts.findByUserIdAndPhoneNumber(userId, e164).orElseThrow();
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
