package ai.calling.config.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Warns at start-up when the PostgreSQL server runs without what this schema's write pattern relies
 * on. Every call updates the same few rows again and again (its own row in calls, a platform slot,
 * its campaign, its credit hold): without autovacuum their dead versions are never cleared and no
 * table is ever analysed, so reads slow down as the day goes on and statements keep plans made while
 * the tables were empty. Measured on the campaign dispatcher: 12.2 ms of CPU per dial against 8.2 with
 * autovacuum on (bench/README.md). A warning, not a refusal: a test server may run without it on purpose.
 */
@Component
class ServerSettingsCheck {

    private static final Logger log = LoggerFactory.getLogger(ServerSettingsCheck.class);

    private final JdbcTemplate jdbc;

    ServerSettingsCheck(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnAboutServerSettings() {
        try {
            Map<String, String> settings = new HashMap<>();
            jdbc.queryForList("SELECT name, setting FROM pg_settings WHERE name IN ('autovacuum', 'track_counts')")
                    .forEach(row -> settings.put((String) row.get("name"), (String) row.get("setting")));
            warnings(settings).forEach(log::warn);
        } catch (DataAccessException e) {
            log.debug("Could not read the database server's settings", e);
        }
    }

    /** What to warn about, given pg_settings' values by name. */
    static List<String> warnings(Map<String, String> settings) {
        List<String> warnings = new ArrayList<>();
        if ("off".equals(settings.get("autovacuum"))) {
            warnings.add("PostgreSQL runs with autovacuum = off: the rows every call updates (calls, call_slots, "
                    + "campaigns, credit_holds) keep their dead versions and no table is analysed. Turn it on in "
                    + "production (it is PostgreSQL's default).");
        }
        if ("off".equals(settings.get("track_counts"))) {
            warnings.add("PostgreSQL runs with track_counts = off: autovacuum cannot tell which tables need vacuuming "
                    + "or analysing. Turn it on in production (it is PostgreSQL's default).");
        }
        return warnings;
    }
}
