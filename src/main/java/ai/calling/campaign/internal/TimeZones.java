package ai.calling.campaign.internal;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The time-zone names PostgreSQL knows: calling windows are evaluated in SQL, so a zone must be one
 * of these (a name the JDK knows but the database does not would fail every dispatch query).
 */
@Component
public class TimeZones {

    private final JdbcClient jdbc;
    private final AtomicReference<Set<String>> names = new AtomicReference<>();

    TimeZones(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean known(String zone) {
        Set<String> known = names.get();
        if (known == null) {
            known = Set.copyOf(jdbc.sql("SELECT name FROM pg_timezone_names").query(String.class).list());
            names.set(known);
        }
        return known.contains(zone);
    }
}
