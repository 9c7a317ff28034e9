package ai.calling.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast layer ({@code ./mvnw test -Dgroups=unit}) stays fast: a class tagged "unit" starts no
 * Spring context, opens no database and no server. A scan of the test sources.
 */
@Tag("unit")
class UnitLayerTest {

    static final Path TESTS = Path.of("src/test/java");

    /** What a unit test must not use: Spring's test support, our integration harness, JDBC, fakes that listen. */
    static final Pattern HEAVY = Pattern.compile("org\\.springframework\\.(boot\\.test|test)\\b|@IntegrationTest"
            + "|ai\\.calling\\.support\\.(TestDatabase|FakeBolna|Http)\\b"
            // an SQLException is a value a unit test may build; a connection, statement or result set is JDBC
            + "|java\\.sql\\.(Connection|Statement|PreparedStatement|ResultSet)\\b|javax\\.sql\\.|DriverManager|HttpServer");

    @Test
    void unitTaggedClassesNeedNeitherSpringNorADatabase() throws IOException {
        List<Path> unit;
        try (Stream<Path> files = Files.walk(TESTS)) {
            unit = files.filter(path -> path.toString().endsWith(".java")).filter(UnitLayerTest::taggedUnit).toList();
        }
        assertThat(unit).as("the unit layer").hasSizeGreaterThanOrEqualTo(15);
        assertThat(unit).filteredOn(path -> !path.endsWith("UnitLayerTest.java"))
                .allSatisfy(path -> assertThat(HEAVY.matcher(Files.readString(path)).find()).as(path.toString()).isFalse());
    }

    private static boolean taggedUnit(Path path) {
        try {
            return Files.readString(path).contains("@Tag(\"unit\")");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
