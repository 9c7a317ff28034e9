package ai.calling.contact.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import ai.calling.auth.AccountClosed;

/**
 * A closed account's contacts lose their names, e-mails, companies and notes in the closing
 * transaction; the numbers stay, as on the call records that the law requires us to keep.
 */
@Component
class ContactsOfClosedAccounts {

    private static final Logger log = LoggerFactory.getLogger(ContactsOfClosedAccounts.class);

    private final JdbcClient jdbc;

    ContactsOfClosedAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // a closure takes the rows a lead analysis writes in the analysis's order (transcript, contact, job), after the transcripts:
    // in another order the two could each hold a row the other waits for
    @Order(20)
    @EventListener
    void accountClosed(AccountClosed closed) {
        int erased = jdbc.sql("""
                UPDATE contacts SET name = NULL, email = NULL, company = NULL, notes = NULL
                 WHERE user_id = :user""").param("user", closed.userId()).update();
        log.info("Account {} closed: {} contact(s) erased", closed.userId(), erased);
    }
}
