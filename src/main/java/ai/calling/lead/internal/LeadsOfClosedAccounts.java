package ai.calling.lead.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import ai.calling.auth.AccountClosed;

/**
 * What the analyses learnt about a closed account's contacts goes in the closing transaction: the
 * names, e-mails, companies, reasoning and notifications of lead analyses, follow-ups and customers.
 * The scores and tags stay with the call records.
 */
@Component
class LeadsOfClosedAccounts {

    private static final Logger log = LoggerFactory.getLogger(LeadsOfClosedAccounts.class);

    private final JdbcClient jdbc;
    private final LeadAnalysisJobs jobs;

    LeadsOfClosedAccounts(JdbcClient jdbc, LeadAnalysisJobs jobs) {
        this.jdbc = jdbc;
        this.jobs = jobs;
    }

    // a closure takes the rows a lead analysis writes in the analysis's order (transcript, contact, job), after the transcripts and the contacts:
    // in another order the two could each hold a row the other waits for
    @Order(30)
    @EventListener
    void accountClosed(AccountClosed closed) {
        // first: an analysis writing now is waited for, so that what it writes is erased below; one that has not
        // written yet finds its job failed and writes nothing, also where another module's erasure came first
        jobs.failOfClosedAccount(closed.userId());
        int analyses = jdbc.sql("""
                UPDATE lead_analytics SET extracted_name = NULL, extracted_email = NULL, company_name = NULL,
                       reasoning = '{}'::jsonb, smart_notification = NULL
                 WHERE user_id = :user""").param("user", closed.userId()).update();
        jdbc.sql("UPDATE follow_ups SET lead_name = NULL, lead_email = NULL, remark = NULL WHERE user_id = :user")
                .param("user", closed.userId()).update();
        jdbc.sql("""
                UPDATE customers SET name = 'Erased', email = NULL, company = NULL, notes = NULL,
                       assigned_sales_rep = NULL
                 WHERE user_id = :user""").param("user", closed.userId()).update();
        log.info("Account {} closed: {} lead analyses erased", closed.userId(), analyses);
    }
}
