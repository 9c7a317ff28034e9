package ai.calling.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code .env.example} and the README's configuration table list the same variables, and the
 * example's values are ones the application reads as their defaults.
 */
class EnvExampleTest {

    private static final Pattern EXAMPLE_LINE = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=(.*)$");
    private static final Pattern NAME = Pattern.compile("`([A-Z_][A-Z0-9_]*)`");

    @Test
    void envExampleListsExactlyTheReadmeTablesVariables() throws IOException {
        Set<String> example = envExampleVariables();
        Set<String> readme = readmeTableVariables();

        assertThat(example).as("variables in .env.example but not in the README's table")
                .containsAll(readme);
        assertThat(readme).as("variables in the README's table but not in .env.example")
                .containsAll(example);
    }

    @Test
    void everyVariableApplicationYmlReadsIsInTheExample() throws IOException {
        Set<String> read = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(
                Files.readString(Path.of("src/main/resources/application.yml")));
        while (placeholder.find()) {
            read.add(placeholder.group(1));
        }

        assertThat(envExampleVariables()).as("variables application.yml reads but .env.example lacks")
                .containsAll(read);
    }

    @Test
    void everyActiveLineOfTheExampleIsReadByTheApplicationAsItsDefault() throws IOException {
        String applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher assignment = EXAMPLE_LINE.matcher(line);
            assertThat(assignment.matches()).as(line).isTrue();
            String value = assignment.group(2).replaceAll("^\"(.*)\"$", "$1");
            assertThat(applicationYml).as("application.yml reads %s with the example's value as default", line)
                    .contains("${" + assignment.group(1) + ":" + value + "}");
        }
    }

    @Test
    void theEnvFileReaderUnderstandsTheExample() {
        var variables = EnvFile.read(Path.of(".env.example"));

        assertThat(variables).containsEntry("JOBS_DAILY", "0 15 3 * * *").containsEntry("LOG_FORMAT", "")
                .doesNotContainKey("SPRING_DATASOURCE_URL").doesNotContainKey("SPRING_MAIL_HOST");
    }

    static Set<String> envExampleVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            Matcher assignment = EXAMPLE_LINE.matcher(line);
            if (assignment.matches()) {
                names.add(assignment.group(1));
            }
        }
        return names;
    }

    /**
     * The first column of the table under "## Configuration". A name written {@code _SUFFIX} replaces
     * as many trailing segments of the full name before it: {@code SPRING_DATASOURCE_URL},
     * {@code _USERNAME} is SPRING_DATASOURCE_USERNAME; {@code GOOGLE_CLIENT_ID}, {@code _CLIENT_SECRET}
     * is GOOGLE_CLIENT_SECRET.
     */
    static Set<String> readmeTableVariables() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("README has a '## Configuration' section").isNotNegative();
        Set<String> names = new TreeSet<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String firstCell = line.split("\\|")[1];
            String previous = null;
            Matcher name = NAME.matcher(firstCell);
            while (name.find()) {
                String written = name.group(1);
                String full = written.startsWith("_") && previous != null ? expand(previous, written) : written;
                names.add(full);
                previous = full;
            }
        }
        return names;
    }

    private static String expand(String previous, String suffix) {
        int segments = suffix.split("_", -1).length - 1;
        List<String> parts = new ArrayList<>(List.of(previous.split("_")));
        return String.join("_", parts.subList(0, parts.size() - segments)) + suffix;
    }
}
