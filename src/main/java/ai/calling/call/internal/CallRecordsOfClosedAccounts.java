package ai.calling.call.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import ai.calling.auth.AccountClosed;

/**
 * A closed account keeps its call records (numbers, times, durations, credits: the ledger refers to
 * them), but not what the contacts said or who they were: transcripts are deleted, and names,
 * e-mails, recording links, what the customer's system sent with the dial ({@code user_data}) and
 * Bolna's raw execution details are erased. In the closing transaction.
 */
@Component
class CallRecordsOfClosedAccounts {

    private static final Logger log = LoggerFactory.getLogger(CallRecordsOfClosedAccounts.class);

    private final JdbcClient jdbc;

    CallRecordsOfClosedAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // a closure takes the rows a lead analysis writes in the analysis's order (transcript, contact, job), the transcripts first:
    // in another order the two could each hold a row the other waits for
    @Order(10)
    @EventListener
    void accountClosed(AccountClosed closed) {
        int transcripts = jdbc.sql("DELETE FROM transcripts WHERE user_id = :user").param("user", closed.userId())
                .update();
        int calls = jdbc.sql("""
                UPDATE calls SET caller_name = NULL, caller_email = NULL, recording_url = NULL,
                       metadata = metadata - 'user_data', bolna_metadata = '{}'::jsonb
                 WHERE user_id = :user""").param("user", closed.userId()).update();
        log.info("Account {} closed: {} transcript(s) deleted, {} call record(s) erased", closed.userId(), transcripts,
                calls);
    }
}
