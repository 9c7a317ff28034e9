package ai.calling.account.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/**
 * The tenant's rows for the export, read through the reporting views and handed over one at a time:
 * with a fetch size inside a transaction, PostgreSQL's driver reads through a cursor, so no result
 * set is held in memory whole. Every query is bound to the one tenant.
 */
@Repository
public class TenantExportQueries {

    /** The sections of the export, in order, each one query of the tenant's rows. */
    public enum Section {
        ACCOUNT("account", """
                SELECT id, email, name, role, credits, email_verified, auth_provider, created_at
                  FROM report_accounts WHERE id = ?"""),
        AGENTS("agents", """
                SELECT id, name, agent_type, is_active, max_call_duration_seconds, created_at
                  FROM report_agents WHERE user_id = ? ORDER BY created_at, id"""),
        CONTACTS("contacts", """
                SELECT id, name, phone_number, email, company, is_customer, created_at
                  FROM report_contacts WHERE user_id = ? ORDER BY created_at, id"""),
        CALLS("calls", """
                SELECT id, agent_id, contact_id, campaign_id, phone_number, caller_name, lead_type, call_source, status,
                       call_lifecycle_status, duration_seconds, duration_minutes AS billed_minutes, credits_used,
                       completed_at, created_at
                  FROM report_calls WHERE user_id = ? ORDER BY created_at, id"""),
        TRANSCRIPTS("transcripts", """
                SELECT call_id, content, created_at
                  FROM report_transcripts WHERE user_id = ? ORDER BY created_at, id"""),
        LEAD_ANALYSES("leadAnalyses", """
                SELECT call_id, analysis_type, phone_number, total_score, lead_status_tag, intent_level, urgency_level,
                       company_name, extracted_name, extracted_email, created_at
                  FROM report_lead_analyses WHERE user_id = ? ORDER BY created_at, id"""),
        LEDGER("creditTransactions", """
                SELECT id, type, amount, balance_after, description, call_id, created_at
                  FROM report_credit_movements WHERE user_id = ? ORDER BY seq""");

        private final String field;
        private final String sql;

        Section(String field, String sql) {
            this.field = field;
            this.sql = sql;
        }

        public String field() {
            return field;
        }
    }

    /** Rows fetched from the server per round trip. */
    static final int FETCH_SIZE = 500;

    private final JdbcTemplate jdbc;

    TenantExportQueries(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH_SIZE);
    }

    /** Hands each row of the section to {@code row}; call inside a (read-only) transaction for the cursor. */
    public void forEach(Section section, UUID userId, RowConsumer row) {
        jdbc.query(section.sql, (RowCallbackHandler) rs -> row.accept(rs), userId);
    }

    @FunctionalInterface
    public interface RowConsumer {
        void accept(ResultSet row) throws SQLException;
    }
}
