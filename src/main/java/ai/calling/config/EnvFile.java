package ai.calling.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads {@code .env} from the working directory (or the file named by {@code app.env-file}) when it
 * exists, as if its variables had been exported: the real environment wins over it, and Spring's
 * environment-variable binding applies ({@code SPRING_MAIL_HOST} sets {@code spring.mail.host}),
 * which a plain {@code spring.config.import} of the file would not do. The syntax is the one a shell
 * reads with {@code set -a; . ./.env}: {@code NAME=value} lines, {@code #} comments, an optional
 * {@code export} and optional surrounding quotes (needed for values with spaces, such as cron
 * schedules). Nothing is expanded.
 */
public class EnvFile implements EnvironmentPostProcessor, Ordered {

    public static final String LOCATION = "app.env-file";
    /** The "-systemEnvironment" suffix is what makes Spring bind NAME_LIKE_THIS to name.like.this. */
    static final String SOURCE_NAME = "envFile-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)=(.*)$");

    private final Log log;

    public EnvFile(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EnvFile.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path file = Path.of(environment.getProperty(LOCATION, ".env"));
        if (!Files.isRegularFile(file)) {
            return;
        }
        Map<String, Object> variables = read(file);
        MutablePropertySources sources = environment.getPropertySources();
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(SOURCE_NAME, variables);
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            sources.addLast(source);
        }
        log.info("Read " + variables.size() + " settings from " + file.toAbsolutePath().normalize()
                + " (exported environment variables take precedence)");
    }

    /** The variables of an env file; empty when there is none. */
    public static Map<String, Object> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.toAbsolutePath(), e);
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.matches()) {
                variables.put(assignment.group(1), unquoted(assignment.group(2).strip()));
            }
        }
        return variables;
    }

    private static String unquoted(String value) {
        boolean quoted = value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0);
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    @Override
    public int getOrder() {
        // before the config data (application.yml and profiles) is read, so the file can choose profiles
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }
}
