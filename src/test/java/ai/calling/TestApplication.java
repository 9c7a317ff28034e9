package ai.calling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import ai.calling.config.DockerEngine;
import ai.calling.config.EnvFile;

/**
 * Zero-setup development entry point, started with {@code ./mvnw spring-boot:test-run}. It lives in
 * the test sources so the production jar carries no embedded database and no generated key.
 * <p>
 * When no datasource is configured ({@code SPRING_DATASOURCE_URL} exported or in {@code .env}, or
 * {@code spring.datasource.url}) and no Docker engine answers, it starts an embedded PostgreSQL 17
 * whose data lives in the git-ignored {@code .data/postgres} folder of the checkout, kept between
 * runs, and points the application at its {@code calling} database (created on first start). The
 * database is a bean the data source depends on, so on shutdown the pool closes first and the
 * server stops after it. Otherwise it runs the application unchanged: your own server, or Docker
 * Compose.
 * <p>
 * Without {@code JWT_SECRET} it signs tokens with a key generated once into {@code .data/jwt-secret},
 * so a restart does not sign everybody out. The production entry point has no such fallback.
 */
public final class TestApplication {

    static final Path DATA_DIRECTORY = Path.of(".data", "postgres");
    static final Path JWT_SECRET_FILE = Path.of(".data", "jwt-secret");

    private TestApplication() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Object> envFile = EnvFile.read(Path.of(".env"));
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        if (!configured("JWT_SECRET", "app.security.jwt-secret", envFile, args)) {
            arguments.add("--app.security.jwt-secret=" + developmentJwtSecret(JWT_SECRET_FILE));
        }
        SpringApplication application = new SpringApplication(Application.class);
        EmbeddedPostgres postgres = null;
        if (!configured("SPRING_DATASOURCE_URL", "spring.datasource.url", envFile, args)) {
            DockerEngine docker = DockerEngine.detect();
            if (!docker.available()) {
                postgres = startEmbeddedDatabase(docker);
                arguments.addAll(datasourceArguments(postgres));
                application.addInitializers(stopAfterTheConnectionPool(postgres));
            }
        }
        try {
            application.run(arguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            if (postgres != null) {
                closeQuietly(postgres); // the context never got as far as owning it
            }
            throw e;
        }
    }

    private static EmbeddedPostgres startEmbeddedDatabase(DockerEngine docker) throws IOException {
        Path dataDirectory = DATA_DIRECTORY.toAbsolutePath();
        Files.createDirectories(dataDirectory);
        // the server's own output goes to a log file beside the data, not the console
        ((Logger) LoggerFactory.getLogger("io.zonky")).setLevel(Level.WARN);
        ProcessBuilder.Redirect serverLog = ProcessBuilder.Redirect.appendTo(
                dataDirectory.resolveSibling("postgres.log").toFile());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // the application context stops it, after the pool
                .setOutputRedirector(serverLog)
                .setErrorRedirector(serverLog)
                .start();
        System.out.println("Database: embedded PostgreSQL 17 on port " + postgres.getPort() + ", data kept in "
                + dataDirectory + " (delete it to start afresh). Picked because no SPRING_DATASOURCE_URL is set and"
                + " no Docker engine answers (" + docker.reason() + "); see README to use your own server.");
        return postgres;
    }

    private static List<String> datasourceArguments(EmbeddedPostgres postgres) {
        return List.of("--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "calling"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--app.database.create-if-missing=true",
                // once Spring's logging starts: zonky's INFO lines (e.g. that the kept data folder was not deleted) are noise
                "--logging.level.io.zonky=WARN");
    }

    /** The database becomes a bean that the data source depends on: destroyed after the pool has closed. */
    static ApplicationContextInitializer<ConfigurableApplicationContext> stopAfterTheConnectionPool(
            EmbeddedPostgres postgres) {
        return context -> {
            ((GenericApplicationContext) context).registerBean("embeddedPostgres", EmbeddedPostgres.class,
                    () -> postgres, definition -> definition.setDestroyMethodName("close"));
            context.addBeanFactoryPostProcessor((BeanFactoryPostProcessor) beanFactory -> {
                if (beanFactory.containsBeanDefinition("dataSource")) {
                    BeanDefinition dataSource = beanFactory.getBeanDefinition("dataSource");
                    String[] dependsOn = dataSource.getDependsOn() == null ? new String[0] : dataSource.getDependsOn();
                    String[] withDatabase = Arrays.copyOf(dependsOn, dependsOn.length + 1);
                    withDatabase[dependsOn.length] = "embeddedPostgres";
                    dataSource.setDependsOn(withDatabase);
                }
            });
        };
    }

    /** A key generated on the first development run and read back on every later one (owner-only file). */
    static String developmentJwtSecret(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file).strip();
            if (kept.length() >= 32) {
                return kept;
            }
        }
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getEncoder().encodeToString(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's own permissions apply
        }
        Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        System.out.println("Development JWT key generated into " + file.toAbsolutePath()
                + " (kept between runs so sign-ins survive a restart; production needs JWT_SECRET).");
        return secret;
    }

    private static boolean configured(String variable, String property, Map<String, Object> envFile, String[] args) {
        return notBlank(System.getenv(variable)) || notBlank(System.getProperty(property))
                || envFile.get(variable) instanceof String value && notBlank(value)
                || Arrays.stream(args).anyMatch(arg -> arg.startsWith("--" + property + "="));
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
