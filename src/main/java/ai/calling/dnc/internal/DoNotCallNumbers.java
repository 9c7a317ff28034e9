package ai.calling.dnc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.dnc.DoNotCallList.Entry;

/** do_not_call_numbers: a tenant's list (user_id) and the platform's (user_id NULL). */
@Repository
public class DoNotCallNumbers {

    private static final String COLUMNS = "id, user_id, phone_number, reason, created_by, created_at";

    private final JdbcClient jdbc;

    DoNotCallNumbers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Those of {@code numbers} on the tenant's list or the platform's. */
    public Set<String> listed(UUID userId, Collection<String> numbers) {
        if (numbers.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                SELECT DISTINCT phone_number FROM do_not_call_numbers
                 WHERE phone_number = ANY(:numbers) AND (user_id = :user OR user_id IS NULL)""")
                .param("numbers", numbers.toArray(String[]::new)).param("user", userId).query(String.class).list());
    }

    /** Adds a number to a list ({@code userId} null: the platform's); empty when it was already there. */
    public Optional<Entry> add(UUID userId, String phoneNumber, String reason, UUID createdBy) {
        return jdbc.sql("INSERT INTO do_not_call_numbers (user_id, phone_number, reason, created_by) "
                + "VALUES (:user, :phone, :reason, :by) ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
                .param("user", userId).param("phone", phoneNumber).param("reason", reason).param("by", createdBy)
                .query(DoNotCallNumbers::entry).optional();
    }

    public boolean remove(UUID userId, String phoneNumber) {
        return jdbc.sql("DELETE FROM do_not_call_numbers WHERE phone_number = :phone AND user_id IS NOT DISTINCT FROM :user")
                .param("phone", phoneNumber).param("user", userId).update() > 0;
    }

    public long count(UUID userId) {
        return jdbc.sql("SELECT count(*) FROM do_not_call_numbers WHERE user_id IS NOT DISTINCT FROM :user")
                .param("user", userId).query(Long.class).single();
    }

    /** Newest first. */
    public List<Entry> page(UUID userId, int limit, long offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM do_not_call_numbers WHERE user_id IS NOT DISTINCT FROM :user "
                + "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("user", userId).param("limit", limit).param("offset", offset).query(DoNotCallNumbers::entry).list();
    }

    private static Entry entry(ResultSet rs, int n) throws SQLException {
        return new Entry(rs.getObject("id", UUID.class), rs.getString("phone_number"), rs.getString("reason"),
                rs.getObject("user_id") == null ? "platform" : "account", rs.getObject("created_by", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
