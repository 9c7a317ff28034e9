package ai.calling.agent.internal;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Agents to be deleted on Bolna: the intent ({@code bolna_deletion_pending}) is written with the
 * agent's deactivation, before Bolna is called, and cleared once Bolna has deleted it.
 */
@Repository
public class AgentRemovals {

    private final JdbcClient jdbc;

    AgentRemovals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Deactivates every active agent of the user, frees their numbers, and records the intent to delete them on Bolna. */
    public int markAllOf(UUID userId) {
        jdbc.sql("""
                UPDATE phone_numbers SET assigned_to_agent_id = NULL
                 WHERE assigned_to_agent_id IN (SELECT id FROM agents WHERE user_id = :user)""")
                .param("user", userId).update();
        return jdbc.sql("""
                UPDATE agents SET is_active = false, bolna_deletion_pending = true
                 WHERE user_id = :user AND is_active""")
                .param("user", userId).update();
    }

    /** The agents still to be deleted on Bolna, longest waiting first. */
    public List<Pending> pending(int limit) {
        return jdbc.sql("""
                SELECT id, bolna_agent_id FROM agents WHERE bolna_deletion_pending
                 ORDER BY updated_at, id LIMIT :limit""")
                .param("limit", limit)
                .query((rs, n) -> new Pending(rs.getObject("id", UUID.class), rs.getString("bolna_agent_id"))).list();
    }

    /** One agent, deactivated in the caller's transaction, is to be deleted on Bolna (the intent). */
    public void mark(UUID agentId) {
        jdbc.sql("UPDATE agents SET bolna_deletion_pending = true WHERE id = :id").param("id", agentId).update();
    }

    /** Whether the agent is still to be deleted on Bolna (a re-activation calls it off). */
    public boolean stillPending(UUID agentId) {
        return Boolean.TRUE.equals(jdbc.sql("SELECT bolna_deletion_pending FROM agents WHERE id = :id")
                .param("id", agentId).query(Boolean.class).optional().orElse(false));
    }

    /** The intent is over: Bolna deleted the agent, or a re-activation called the deletion off. */
    public void clear(UUID agentId) {
        jdbc.sql("UPDATE agents SET bolna_deletion_pending = false WHERE id = :id").param("id", agentId).update();
    }

    public record Pending(UUID agentId, String bolnaAgentId) {
    }
}
