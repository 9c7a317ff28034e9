package ai.calling.auth.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.auth.UserAdministration.PromptIds;

/**
 * An account's own OpenAI prompt ids, read on their own: every lead analysis asks before it calls OpenAI.
 * One statement through JDBC, in the caller's transaction if it has one and in none otherwise. Through JPA
 * (a constructor query in a read-only transaction) Hibernate interpreted the query again on every call, and
 * the read was three quarters of the lead-analysis worker's CPU and 8% of the JVM's samples in the campaign
 * dispatch benchmark (JFR; bench/README, "2026-11-27, third session").
 */
@Repository
public class AccountPrompts {

    private final JdbcClient jdbc;

    AccountPrompts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account's prompt ids (each null when the system default applies); empty when there is no such account. */
    public Optional<PromptIds> of(UUID userId) {
        return jdbc.sql("SELECT openai_individual_prompt_id, openai_complete_prompt_id FROM users WHERE id = ?")
                .param(userId)
                .query((row, rowNumber) -> new PromptIds(row.getString(1), row.getString(2)))
                .optional();
    }
}
