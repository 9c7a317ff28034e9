package ai.calling.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which failures are the database out of reach (503, retry) and which a refused value (400). */
@Tag("unit")
class DatabaseFailuresTest {

    @Test
    void aRollbackOnAConnectionThePoolClosedIsTheDatabaseBeingUnavailable() {
        // what Hibernate throws when the database dropped the connection mid-transaction: the rollback fails too
        RuntimeException rollback = new RuntimeException("Unable to rollback against JDBC Connection",
                new RuntimeException(new SQLException("Connection is closed")));
        assertThat(DatabaseFailures.unavailable(rollback)).isTrue();
    }

    @Test
    void connectionStatesAreUnavailableAndDataExceptionsAreRefusedValues() {
        assertThat(DatabaseFailures.unavailable(new RuntimeException(new SQLException("gone", "08006")))).isTrue();
        assertThat(DatabaseFailures.unavailable(new RuntimeException(new SQLException("shutting down", "57P01")))).isTrue();
        SQLException nul = new SQLException("invalid byte sequence", "22021");
        assertThat(DatabaseFailures.unavailable(new RuntimeException(nul))).isFalse();
        assertThat(DatabaseFailures.refusedValue(new RuntimeException(nul))).contains("22021");
        assertThat(DatabaseFailures.unavailable(new RuntimeException(new SQLException("Connection refused?")))).isFalse();
    }
}
