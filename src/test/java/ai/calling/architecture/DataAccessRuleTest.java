package ai.calling.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Decision 0016: SQL lives in each module's {@code internal/} query classes and repositories;
 * services and controllers call them. A plain scan of the sources, no Spring.
 */
@Tag("unit")
class DataAccessRuleTest {

    static final Path SOURCES = Path.of("src/main/java/ai/calling");

    /** What runs SQL: Spring's JDBC clients, native or annotated queries, a raw connection. */
    static final Pattern SQL_ACCESS = Pattern.compile(
            "\\b(JdbcClient|JdbcTemplate|NamedParameterJdbcTemplate|createNativeQuery|DataSourceUtils)\\b|@Query\\(");

    /** Configuration that hands a JdbcTemplate to a library (ShedLock's lock provider), running no SQL of ours. */
    static final Set<String> CONFIGURATION = Set.of("config/SchedulingConfiguration.java");

    @Test
    void sqlRunsOnlyInInternalQueryClasses() throws IOException {
        Set<String> outside = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String relative = SOURCES.relativize(file).toString();
                if (relative.contains("/internal/") || CONFIGURATION.contains(relative)) {
                    continue;
                }
                if (SQL_ACCESS.matcher(Files.readString(file)).find()) {
                    outside.add(relative);
                }
            }
        }
        assertThat(outside).as("classes outside internal/ that run SQL").isEmpty();
    }
}
