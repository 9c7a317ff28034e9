package ai.calling.schema;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows written straight through SQL, so the schema tests exercise the database's own rules
 * (constraints, triggers) without any application code in between. Every fixture creates its own
 * user: the suite shares one database.
 */
final class SchemaFixtures {

    private final JdbcTemplate jdbc;

    SchemaFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    UUID user() {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, ?)", id, id + "@schema.test", "User " + id);
        return id;
    }

    UUID agent(UUID userId) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, ?)",
                id, userId, "bolna-" + id, "Agent " + id.toString().substring(0, 8));
        return id;
    }

    UUID call(UUID userId, UUID agentId, String status, OffsetDateTime createdAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status, created_at)
                VALUES (?, ?, ?, ?, '+14155550100', ?, ?)""", id, userId, agentId, "exec-" + id, status, createdAt);
        return id;
    }

    void complete(UUID callId, int durationMinutes, int credits) {
        jdbc.update("UPDATE calls SET status = 'completed', duration_minutes = ?, credits_used = ? WHERE id = ?",
                durationMinutes, credits, callId);
    }

    UUID individualLead(UUID userId, UUID callId, int totalScore, boolean pricing, boolean demo) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO lead_analytics (id, call_id, user_id, phone_number, analysis_type, total_score,
                                            intent_score, cta_pricing_clicked, cta_demo_clicked)
                VALUES (?, ?, ?, '+14155550100', 'individual', ?, ?, ?, ?)""",
                id, callId, userId, totalScore, totalScore, pricing, demo);
        return id;
    }

    UUID contact(UUID userId, String phone) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO contacts (id, user_id, name, phone_number) VALUES (?, ?, ?, ?)",
                id, userId, "Contact " + phone, phone);
        return id;
    }
}
