package ai.calling.contact.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Writes many contacts in one statement (arrays unnested server-side): a 10,000-row upload is one
 * round trip. Existing numbers are skipped or, when asked, updated with the non-empty fields given.
 */
@Repository
class ContactBulkWriter {

    private static final String INSERT = """
            INSERT INTO contacts AS c (user_id, phone_number, name, email, company, notes)
            SELECT ?, t.phone, t.name, t.email, t.company, t.notes
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t(phone, name, email, company, notes)
            """;
    private static final String SKIP = INSERT + " ON CONFLICT (user_id, phone_number) DO NOTHING RETURNING true";
    private static final String UPDATE = INSERT + """
             ON CONFLICT (user_id, phone_number) DO UPDATE SET
                name = COALESCE(EXCLUDED.name, c.name), email = COALESCE(EXCLUDED.email, c.email),
                company = COALESCE(EXCLUDED.company, c.company), notes = COALESCE(EXCLUDED.notes, c.notes)
            RETURNING (xmax = 0)""";

    private final JdbcTemplate jdbc;

    ContactBulkWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Outcome upsert(UUID userId, List<Row> rows, boolean updateExisting) {
        if (rows.isEmpty()) {
            return new Outcome(0, 0);
        }
        return jdbc.execute((ConnectionCallback<Outcome>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(updateExisting ? UPDATE : SKIP)) {
                statement.setObject(1, userId);
                statement.setArray(2, array(connection, rows, Row::phone));
                statement.setArray(3, array(connection, rows, Row::name));
                statement.setArray(4, array(connection, rows, Row::email));
                statement.setArray(5, array(connection, rows, Row::company));
                statement.setArray(6, array(connection, rows, Row::notes));
                int created = 0;
                int updated = 0;
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        if (result.getBoolean(1)) {
                            created++;
                        } else {
                            updated++;
                        }
                    }
                }
                return new Outcome(created, updated);
            }
        });
    }

    private static Array array(Connection connection, List<Row> rows, Function<Row, String> field)
            throws SQLException {
        return connection.createArrayOf("text", rows.stream().map(field).toArray());
    }

    record Row(String phone, String name, String email, String company, String notes) {
    }

    record Outcome(int created, int updated) {
    }
}
