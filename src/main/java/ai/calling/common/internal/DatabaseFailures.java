package ai.calling.common.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Reads a failure's cause chain: was the database out of reach (connections refused, terminated or
 * timed out: a 503 the client may retry), or did it refuse a value (a data exception: the request's
 * fault, a 400)?
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** The database could not be reached or dropped the connection: retrying later may succeed. */
    public static boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof TransientDataAccessResourceException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && connectionState(sql.getSQLState())) {
                return true;
            }
            if (t instanceof SQLException && CLOSED_BY_POOL.equals(t.getMessage())) {
                // Hikari's answer on a connection it closed after the database dropped it: a rollback then
                // fails with this and hides the original connection error
                return true;
            }
        }
        return false;
    }

    private static final String CLOSED_BY_POOL = "Connection is closed";

    /**
     * The SQLSTATE of a value the database refused to store (class 22, data exception: a NUL
     * character, a number or date out of range; 23514, a CHECK constraint), if that is the cause.
     */
    public static Optional<String> refusedValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().equals("23514"))) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    /** 08: connection exception; 57P01-57P03: the server is shutting down or not accepting; 53300: too many connections. */
    private static boolean connectionState(String state) {
        return state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
    }
}
