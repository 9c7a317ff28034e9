package ai.calling.common.internal;

import java.sql.SQLException;
import java.util.Optional;

/** Reads a failure's cause chain: did the database refuse a value (a data exception: the request's fault, a 400)? */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

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
}
