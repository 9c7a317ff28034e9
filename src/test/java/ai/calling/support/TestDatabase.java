package ai.calling.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import org.testcontainers.postgresql.PostgreSQLContainer;

import ai.calling.config.DockerEngine;
import ai.calling.config.EnvFile;

/**
 * The PostgreSQL server of a test run, chosen once per JVM in this order:
 * <ol>
 * <li>Testcontainers, when a Docker engine answers;</li>
 * <li>the server named by {@code TEST_DATABASE_URL} (with {@code TEST_DATABASE_USERNAME} and
 * {@code TEST_DATABASE_PASSWORD}), when set;</li>
 * <li>otherwise an embedded PostgreSQL started for this JVM (no installation needed).</li>
 * </ol>
 * On that server a fresh, uniquely named database is created for the run and dropped when the JVM
 * ends, so runs never see each other's data. A benchmark may name a template with the system property
 * {@code test.database.template}: the run's database is then a copy of that (migrated, seeded) one.
 */
public final class TestDatabase {

    /** The PostgreSQL image of Testcontainers: the major version of docker-compose.yml and the embedded binaries. */
    public static final String POSTGRES_IMAGE = "postgres:17-alpine";
    /** The access-token key of the test contexts (production requires JWT_SECRET). */
    public static final String JWT_SECRET = "test-only-jwt-secret-0123456789-abcdefghij";

    private static TestDatabase instance;

    private final String mode;
    private final String adminUrl;
    private final String databaseName;
    private final String username;
    private final String password;
    private final AutoCloseable server;

    private TestDatabase(String mode, String adminUrl, String username, String password, AutoCloseable server) {
        this.mode = mode;
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
        this.server = server;
        this.databaseName = "calling_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"))
                + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        String template = System.getProperty("test.database.template");
        // a benchmark's pre-seeded database (bench/growth.sh): copied file by file, far faster than through the WAL
        execute("CREATE DATABASE " + databaseName
                + (template == null || template.isBlank() ? "" : " TEMPLATE " + template + " STRATEGY FILE_COPY"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropAndStop, "test-database-cleanup"));
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestDatabase start() {
        String whyNotDocker;
        if ("false".equals(envOr("TEST_USE_DOCKER", null))) {
            whyNotDocker = "TEST_USE_DOCKER=false";
        } else {
            DockerEngine docker = DockerEngine.detect();
            whyNotDocker = docker.reason();
            if (docker.available()) {
                try {
                    PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
                    container.start();
                    announce("Testcontainers " + POSTGRES_IMAGE, docker.reason());
                    return new TestDatabase("testcontainers", container.getJdbcUrl(), container.getUsername(),
                            container.getPassword(), container::stop);
                } catch (RuntimeException e) {
                    // e.g. Colima or Podman without DOCKER_HOST: the docker command finds the engine, Testcontainers does not
                    whyNotDocker = "Testcontainers could not use the Docker engine (" + e.getMessage()
                            + "; set DOCKER_HOST to its socket)";
                }
            }
        }
        String url = envOr("TEST_DATABASE_URL", null);
        if (url != null && !url.isBlank()) {
            announce("TEST_DATABASE_URL " + url, "no Docker: " + whyNotDocker);
            return new TestDatabase("TEST_DATABASE_URL", url, envOr("TEST_DATABASE_USERNAME", "postgres"),
                    envOr("TEST_DATABASE_PASSWORD", ""), () -> { });
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
            announce("embedded PostgreSQL 17", "no Docker (" + whyNotDocker + ") and no TEST_DATABASE_URL");
            return new TestDatabase("embedded", embedded.getJdbcUrl("postgres", "postgres"), "postgres", "", embedded);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL for the tests", e);
        }
    }

    private static void announce(String server, String why) {
        System.out.println("Test database server: " + server + " (" + why + ")");
    }

    /** JDBC URL of this run's own database. */
    public String url() {
        int query = adminUrl.indexOf('?');
        String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
        String params = query < 0 ? "" : adminUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + databaseName + params;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String mode() {
        return mode;
    }

    public String databaseName() {
        return databaseName;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), username, password);
    }

    /**
     * Another empty database on the same server, for a test that needs a whole database to itself (the
     * suite's database is shared by every test of the run); dropped by {@link ScratchDatabase#close()}.
     */
    public ScratchDatabase scratchDatabase(String suffix) {
        String name = databaseName + "_" + suffix;
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        execute("CREATE DATABASE " + name);
        return new ScratchDatabase(name);
    }

    /**
     * Runs {@code test} on one connection to a scratch database of its own, migrated
     * ({@link ScratchDatabase#migratedSingleConnection()}: what a test of cached plans needs); the connection
     * is closed and the database dropped after, whatever the test did.
     */
    public void onOneMigratedConnection(String suffix, Consumer<SingleConnectionDataSource> test) {
        try (ScratchDatabase database = scratchDatabase(suffix)) {
            SingleConnectionDataSource connection = database.migratedSingleConnection();
            try {
                test.accept(connection);
            } finally {
                connection.destroy();
            }
        }
    }

    /** A database of {@link #scratchDatabase(String)}. */
    public final class ScratchDatabase implements AutoCloseable {

        private final String name;

        private ScratchDatabase(String name) {
            this.name = name;
        }

        public String url() {
            return TestDatabase.this.url().replace(databaseName, name);
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), username, password);
        }

        /**
         * Migrates this database (Flyway, every migration) and opens one connection to it that prepares
         * statements on the server from their fifth run (pgjdbc's default, set so that a test of cached plans
         * keeps meaning it): statements are prepared per connection, so a plan-cache test needs exactly one.
         * The caller destroys it.
         */
        public SingleConnectionDataSource migratedSingleConnection() {
            Flyway.configure().dataSource(url(), username, password).load().migrate();
            String url = url() + (url().contains("?") ? "&" : "?") + "prepareThreshold=5";
            return new SingleConnectionDataSource(url, username, password, true);
        }

        @Override
        public void close() {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl, username, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed (" + mode + "): " + e.getMessage(), e);
        }
    }

    private void dropAndStop() {
        try {
            execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
        } catch (RuntimeException e) {
            System.err.println("Could not drop test database " + databaseName + ": " + e.getMessage());
        }
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("Could not stop the test PostgreSQL: " + e.getMessage());
        }
    }

    /** An exported variable, else one from the checkout's .env file (as the application reads it), else the fallback. */
    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        if (value == null && EnvFile.read(Path.of(".env")).get(name) instanceof String fromFile && !fromFile.isBlank()) {
            value = fromFile;
        }
        return value == null ? fallback : value;
    }
}
