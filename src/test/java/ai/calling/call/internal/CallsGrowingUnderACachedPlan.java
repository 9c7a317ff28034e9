package ai.calling.call.internal;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the tests of a statement's plan on calls share ({@link DialConfirmPlanTest}, {@link CallProgressPlanTest}):
 * on a database of the test's own, calls is never analysed, one account with one agent owns the calls, the table
 * grows by 20,000 calls between the first runs of the statement and the measured one, and the current
 * transaction's sequential scans of calls are counted.
 */
final class CallsGrowingUnderACachedPlan {

    /** The account and agent the calls are written under. */
    record Owner(UUID user, UUID agent) {
    }

    private CallsGrowingUnderACachedPlan() {
    }

    /**
     * Turns off autovacuum on calls (on a server running it, an ANALYZE after the growth would replan the statement
     * and hide what is tested) and creates the account and agent.
     */
    static Owner prepare(JdbcTemplate jdbc) {
        jdbc.execute("ALTER TABLE calls SET (autovacuum_enabled = off)");
        Owner owner = new Owner(UUID.randomUUID(), UUID.randomUUID());
        jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, 'Plan')", owner.user(), owner.user() + "@plan.test");
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, 'bolna-plan', 'Agent')",
                owner.agent(), owner.user());
        return owner;
    }

    /** Adds 20,000 calls in progress (a statement ending 20,000 calls would update one analytics row 20,000 times). */
    static void grow(JdbcTemplate jdbc, Owner owner) {
        jdbc.update("""
                INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number)
                SELECT ?, ?, 'grown-' || g, '+14155550100' FROM generate_series(1, 20000) g""", owner.user(),
                owner.agent());
    }

    /** This transaction's sequential scans of calls so far (pg_stat_xact_*: the current transaction's counts). */
    static long sequentialScansOfCalls(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'calls'", Long.class);
    }
}
