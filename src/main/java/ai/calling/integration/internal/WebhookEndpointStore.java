package ai.calling.integration.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.integration.WebhookDtos.EndpointView;

/** webhook_endpoints and integration_notifications. */
@Repository
public class WebhookEndpointStore {

    private static final String COLUMNS = "id, url, description, events, enabled, disabled_reason, "
            + "previous_secret_expires_at, created_at, updated_at";

    private final JdbcClient jdbc;

    WebhookEndpointStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the tenant's endpoints' rows (and so serialises creations) and counts them. */
    public int lockAndCount(UUID userId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(CAST(:user AS text), 23))").param("user", userId)
                .query().singleValue();
        return jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE user_id = :user").param("user", userId)
                .query(Integer.class).single();
    }

    public EndpointView insert(UUID userId, String url, String description, List<String> events, String secret) {
        return jdbc.sql("INSERT INTO webhook_endpoints (user_id, url, description, events, secret) "
                + "VALUES (:user, :url, :description, :events, :secret) RETURNING " + COLUMNS)
                .param("user", userId).param("url", url).param("description", description)
                .param("events", events.toArray(String[]::new)).param("secret", secret)
                .query(WebhookEndpointStore::view).single();
    }

    public Optional<EndpointView> find(UUID userId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = :id AND user_id = :user")
                .param("id", id).param("user", userId).query(WebhookEndpointStore::view).optional();
    }

    /** The tenant's endpoint, its row share-locked until the transaction ends (a delete waits for it). */
    public Optional<EndpointView> findLocked(UUID userId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = :id AND user_id = :user FOR SHARE")
                .param("id", id).param("user", userId).query(WebhookEndpointStore::view).optional();
    }

    public long count(UUID userId) {
        return jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE user_id = :user").param("user", userId)
                .query(Long.class).single();
    }

    public List<EndpointView> page(UUID userId, int limit, long offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE user_id = :user "
                + "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("user", userId).param("limit", limit).param("offset", offset)
                .query(WebhookEndpointStore::view).list();
    }

    /** Changes the fields given (null: unchanged); re-enabling clears the failure streak. */
    public Optional<EndpointView> update(UUID userId, UUID id, String url, String description, List<String> events,
            Boolean enabled) {
        return jdbc.sql("""
                UPDATE webhook_endpoints
                   SET url = COALESCE(CAST(:url AS varchar), url),
                       description = COALESCE(CAST(:description AS varchar), description),
                       events = COALESCE(CAST(:events AS varchar[]), events),
                       enabled = COALESCE(CAST(:enabled AS boolean), enabled),
                       disabled_reason = CASE WHEN CAST(:enabled AS boolean) THEN NULL ELSE disabled_reason END,
                       failing_since = CASE WHEN CAST(:enabled AS boolean) THEN NULL ELSE failing_since END,
                       updated_at = CURRENT_TIMESTAMP
                 WHERE id = :id AND user_id = :user RETURNING\s""" + COLUMNS)
                .param("url", url).param("description", description)
                .param("events", events == null ? null : events.toArray(String[]::new))
                .param("enabled", enabled).param("id", id).param("user", userId)
                .query(WebhookEndpointStore::view).optional();
    }

    public boolean delete(UUID userId, UUID id) {
        return jdbc.sql("DELETE FROM webhook_endpoints WHERE id = :id AND user_id = :user")
                .param("id", id).param("user", userId).update() > 0;
    }

    /** Replaces the secret; the one replaced keeps signing for {@code overlap}; returns until when. */
    public Optional<Instant> rotate(UUID userId, UUID id, String secret, Duration overlap) {
        return jdbc.sql("""
                UPDATE webhook_endpoints SET previous_secret = secret, secret = :secret,
                       previous_secret_expires_at = now() + make_interval(secs => :overlap), updated_at = CURRENT_TIMESTAMP
                 WHERE id = :id AND user_id = :user RETURNING previous_secret_expires_at""")
                .param("secret", secret).param("overlap", overlap.toMillis() / 1000.0)
                .param("id", id).param("user", userId)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
    }

    /**
     * A failed attempt: starts or continues the endpoint's failure streak. True when the streak has
     * lasted {@code disableAfter}: the caller disables the endpoint.
     */
    public boolean failingFor(UUID endpointId, Duration disableAfter) {
        return jdbc.sql("UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, now()) WHERE id = :id "
                + "RETURNING failing_since <= now() - make_interval(secs => :after)")
                .param("id", endpointId).param("after", disableAfter.toMillis() / 1000.0)
                .query(Boolean.class).optional().orElse(false);
    }

    public void succeeded(UUID endpointId) {
        jdbc.sql("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL")
                .param("id", endpointId).update();
    }

    /** Disables an enabled endpoint; false when it was disabled already. */
    public boolean disable(UUID endpointId, String reason) {
        return jdbc.sql("UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, "
                + "updated_at = CURRENT_TIMESTAMP WHERE id = :id AND enabled")
                .param("reason", reason).param("id", endpointId).update() > 0;
    }

    /** Disables every endpoint of the account (those disabled already too) with this reason; returns how many. */
    public int disableAll(UUID userId, String reason) {
        return jdbc.sql("UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, "
                + "updated_at = CURRENT_TIMESTAMP WHERE user_id = :user")
                .param("reason", reason).param("user", userId).update();
    }

    public void notify(UUID userId, UUID endpointId, String kind, String message) {
        jdbc.sql("INSERT INTO integration_notifications (user_id, endpoint_id, kind, message) "
                + "VALUES (:user, :endpoint, :kind, :message)")
                .param("user", userId).param("endpoint", endpointId).param("kind", kind).param("message", message)
                .update();
    }

    private static EndpointView view(ResultSet rs, int n) throws SQLException {
        Array events = rs.getArray("events");
        return new EndpointView(rs.getObject("id", UUID.class), rs.getString("url"), rs.getString("description"),
                Arrays.asList((String[]) events.getArray()), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                instant(rs, "previous_secret_expires_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
