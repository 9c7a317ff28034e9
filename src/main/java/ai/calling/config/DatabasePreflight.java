package ai.calling.config;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks the configured PostgreSQL before anything else touches it, so that a missing or
 * unreachable database ends the start-up with one clear explanation instead of a long stack
 * trace from the connection pool and Flyway. A database that does not exist yet on a reachable
 * server is created when {@code app.database.create-if-missing} is true; otherwise the message says
 * exactly what to run.
 */
public class DatabasePreflight implements EnvironmentPostProcessor, Ordered {

    private static final Pattern POSTGRES_URL =
            Pattern.compile("^jdbc:postgresql://(?<hosts>[^/?]*)/(?<database>[^?]+)(?<params>\\?.*)?$");
    private static final String UNDEFINED_DATABASE = "3D000";
    private static final String INVALID_PASSWORD = "28P01";
    private static final String INVALID_AUTHORIZATION = "28000";

    private final Log log;

    public DatabasePreflight(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DatabasePreflight.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("app.database.preflight", Boolean.class, true)
                || environment.getProperty(DockerComposeActivation.ENABLED, Boolean.class, false)) {
            return;
        }
        String url = environment.getProperty("spring.datasource.url");
        Matcher matcher = url == null ? null : POSTGRES_URL.matcher(url);
        if (matcher == null || !matcher.matches()) {
            return;
        }
        String user = environment.getProperty("spring.datasource.username", "");
        String password = environment.getProperty("spring.datasource.password", "");
        boolean createIfMissing = environment.getProperty("app.database.create-if-missing", Boolean.class, false);
        check(url, matcher, user, password, createIfMissing);
    }

    private void check(String url, Matcher matcher, String user, String password, boolean createIfMissing) {
        String hosts = matcher.group("hosts");
        String database = matcher.group("database");
        try (Connection ignored = DriverManager.getConnection(url, credentials(user, password))) {
            return;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (UNDEFINED_DATABASE.equals(state)) {
                if (createIfMissing) {
                    createDatabase(matcher, user, password, database, hosts);
                    return;
                }
                throw new DatabaseUnavailableException(
                        "Database '" + database + "' does not exist on the PostgreSQL server at " + hosts + ".",
                        "Create it with: createdb -h " + host(hosts) + " -p " + port(hosts) + " -U " + user + " "
                                + database + "   (or start with DATABASE_CREATE_IF_MISSING=true to let the"
                                + " application create it, or point SPRING_DATASOURCE_URL at another database)");
            }
            if (INVALID_PASSWORD.equals(state) || INVALID_AUTHORIZATION.equals(state)) {
                throw new DatabaseUnavailableException(
                        "PostgreSQL at " + hosts + " refused user '" + user + "': " + firstLine(e) + ".",
                        "Check SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.");
            }
            throw new DatabaseUnavailableException(
                    "Cannot reach PostgreSQL at " + hosts + " (" + firstLine(e) + ").",
                    "Start PostgreSQL 15+ there, or set SPRING_DATASOURCE_URL (with _USERNAME and _PASSWORD) to a"
                            + " reachable server, or run with Docker so docker-compose.yml starts one.");
        }
    }

    private void createDatabase(Matcher matcher, String user, String password, String database, String hosts) {
        String params = matcher.group("params") == null ? "" : matcher.group("params");
        String maintenanceUrl = "jdbc:postgresql://" + hosts + "/postgres" + params;
        try (Connection connection = DriverManager.getConnection(maintenanceUrl, credentials(user, password));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            log.info("Created database '" + database + "' on " + hosts + " (app.database.create-if-missing=true)");
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(
                    "Database '" + database + "' does not exist on " + hosts + " and could not be created ("
                            + firstLine(e) + ").",
                    "Create it by hand with: createdb -h " + host(hosts) + " -p " + port(hosts) + " -U " + user + " "
                            + database);
        }
    }

    private static Properties credentials(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "5");
        return properties;
    }

    private static String host(String hosts) {
        String first = hosts.split(",")[0];
        return first.contains(":") ? first.substring(0, first.lastIndexOf(':')) : first;
    }

    private static String port(String hosts) {
        String first = hosts.split(",")[0];
        return first.contains(":") ? first.substring(first.lastIndexOf(':') + 1) : "5432";
    }

    private static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
