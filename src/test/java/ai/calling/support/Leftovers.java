package ai.calling.support;

import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.call.CallLifecycle;

/**
 * The suite's test classes share one database: calls another class left in progress (its fake
 * Bolna gone, so they never end) hold credit and platform slots, and campaigns it left running
 * would be dispatched by this class's dispatcher. Tests whose assertions count slots or dials start
 * from none of that: leftover campaigns are cancelled, leftover calls failed through the product's own
 * path (hold, slot and recipient released as for a call Bolna never reports on).
 */
public final class Leftovers {

    private Leftovers() {
    }

    public static void clear(ApplicationContext context) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        jdbc.update("UPDATE campaigns SET status = 'cancelled', pause_reason = NULL, cancelled_at = now() "
                + "WHERE status IN ('running', 'paused')");
        CallLifecycle lifecycle = context.getBean(CallLifecycle.class);
        List<UUID> inProgress = jdbc.queryForList("SELECT id FROM calls WHERE status = 'in_progress'", UUID.class);
        inProgress.forEach(call -> lifecycle.failUnreported(call, "left over by another test"));
    }
}
