package ai.calling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;

/** The development run: a JWT key that survives restarts, and an embedded database stopped after the pool. */
class TestApplicationTest {

    @TempDir
    Path folder;

    @Test
    void theDevelopmentJwtKeyIsGeneratedOnceAndKeptOwnerOnly() throws IOException {
        Path file = folder.resolve(".data").resolve("jwt-secret");

        String first = TestApplication.developmentJwtSecret(file);
        String second = TestApplication.developmentJwtSecret(file);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void theEmbeddedDatabaseStopsOnlyAfterTheConnectionPoolHasClosed() throws IOException, SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        List<String> events = new ArrayList<>();
        GenericApplicationContext context = new GenericApplicationContext();
        // the pool defined first: without the declared dependency it would be created first and destroyed last
        context.registerBean("dataSource", HikariDataSource.class, () -> new RecordingPool(postgres, events));
        TestApplication.stopAfterTheConnectionPool(postgres).initialize(context);

        context.refresh();
        context.getBean(HikariDataSource.class).getConnection().close();
        context.close();

        assertThat(events).containsExactly("pool closing, database answering: true");
        assertThat(databaseAnswers(postgres)).as("database stopped with the context").isFalse();
    }

    private static boolean databaseAnswers(EmbeddedPostgres postgres) {
        try (Connection ignored = postgres.getPostgresDatabase().getConnection()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** A pool that notes, as it closes, whether the database still answers. */
    static class RecordingPool extends HikariDataSource {

        private final EmbeddedPostgres postgres;
        private final List<String> events;

        RecordingPool(EmbeddedPostgres postgres, List<String> events) {
            this.postgres = postgres;
            this.events = events;
            setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            setUsername("postgres");
            setMaximumPoolSize(2);
        }

        @Override
        public void close() {
            if (!isClosed()) {
                events.add("pool closing, database answering: " + databaseAnswers(postgres));
            }
            super.close();
        }
    }
}
