package ai.calling.integration.internal;

import static ai.calling.integration.internal.WebhookEndpointStore.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.integration.WebhookDtos.AttemptView;
import ai.calling.integration.WebhookDtos.DeliveryView;

/** outbound_events, webhook_deliveries and webhook_delivery_attempts: the transactional outbox. */
@Repository
public class OutboxStore {

    private final JdbcClient jdbc;

    OutboxStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes an event and notifies every instance's live event streams (NOTIFY is delivered at commit,
     * and not at all on rollback); returns its id.
     */
    public UUID insertEvent(UUID userId, String type, String payloadJson) {
        return jdbc.sql("""
                WITH event AS (INSERT INTO outbound_events (user_id, type, payload)
                               VALUES (:user, :type, CAST(:payload AS jsonb)) RETURNING id, user_id)
                SELECT id FROM event, LATERAL (SELECT pg_notify('outbound_events', user_id || ':' || id)) notified""")
                .param("user", userId).param("type", type).param("payload", payloadJson).query(UUID.class).single();
    }

    /** Whether the tenant's events are wanted: an enabled endpoint subscribes to the type, or a live reader was seen within the window. */
    public boolean wanted(UUID userId, String type, Duration readerWindow) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE user_id = :user AND enabled AND :type = ANY(events))
                    OR EXISTS (SELECT 1 FROM live_event_readers WHERE user_id = :user
                                  AND last_seen_at > now() - make_interval(secs => :window))""")
                .param("user", userId).param("type", type).param("window", readerWindow.toMillis() / 1000.0)
                .query(Boolean.class).single();
    }

    /** An account and an event type, asked whether anyone takes its events of that type. */
    public record Wanted(UUID userId, String type) {
    }

    /** Of these accounts and types, those whose events are wanted (as {@link #wanted}), in one statement. */
    public Set<Wanted> wantedOf(List<Wanted> asked, Duration readerWindow) {
        if (asked.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                SELECT v.usr, v.type FROM unnest(:users, :types) AS v(usr, type)
                 WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE user_id = v.usr AND enabled AND v.type = ANY(events))
                    OR EXISTS (SELECT 1 FROM live_event_readers WHERE user_id = v.usr
                                  AND last_seen_at > now() - make_interval(secs => :window))""")
                .param("users", asked.stream().map(Wanted::userId).toArray(UUID[]::new))
                .param("types", asked.stream().map(Wanted::type).toArray(String[]::new))
                .param("window", readerWindow.toMillis() / 1000.0)
                .query((rs, n) -> new Wanted(rs.getObject(1, UUID.class), rs.getString(2))).list());
    }

    /** Records that the tenant reads live events now. */
    public void readerSeen(UUID userId) {
        jdbc.sql("INSERT INTO live_event_readers (user_id) VALUES (:user) "
                + "ON CONFLICT (user_id) DO UPDATE SET last_seen_at = now()").param("user", userId).update();
    }

    /** One event of the tenant for a live stream; empty when gone or another tenant's. */
    public Optional<LiveEvent> event(UUID userId, UUID eventId) {
        return jdbc.sql("SELECT id, seq, type, payload::text AS body FROM outbound_events WHERE id = :id AND user_id = :user")
                .param("id", eventId).param("user", userId).query(OutboxStore::liveEvent).optional();
    }

    /** The tenant's newest event's sequence number (0 when it has none): where a stream opened now stands. */
    public long latestSeq(UUID userId) {
        return jdbc.sql("SELECT COALESCE(max(seq), 0) FROM outbound_events WHERE user_id = :user")
                .param("user", userId).query(Long.class).single();
    }

    /** The sequence number of one of the tenant's events, to resume after it. */
    public Optional<Long> seqOf(UUID userId, UUID eventId) {
        return jdbc.sql("SELECT seq FROM outbound_events WHERE id = :id AND user_id = :user")
                .param("id", eventId).param("user", userId).query(Long.class).optional();
    }

    /** The tenant's events after {@code afterSeq} within the window, in order (test events excluded). */
    public List<LiveEvent> eventsAfter(UUID userId, long afterSeq, Duration window, int limit) {
        return jdbc.sql("""
                SELECT id, seq, type, payload::text AS body FROM outbound_events
                 WHERE user_id = :user AND seq > :after AND type <> 'webhook.test'
                   AND created_at > now() - make_interval(secs => :window)
                 ORDER BY seq LIMIT :limit""")
                .param("user", userId).param("after", afterSeq).param("window", window.toMillis() / 1000.0)
                .param("limit", limit).query(OutboxStore::liveEvent).list();
    }

    private static LiveEvent liveEvent(ResultSet rs, int n) throws SQLException {
        return new LiveEvent(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getString("type"), rs.getString("body"));
    }

    /** An event as a live stream sends it. */
    public record LiveEvent(UUID id, long seq, String type, String body) {
    }

    /** One delivery of the event to each of the tenant's enabled endpoints subscribed to its type. */
    public int insertDeliveries(UUID eventId, UUID userId, String type) {
        return jdbc.sql("""
                INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id)
                SELECT :event, id, user_id FROM webhook_endpoints
                 WHERE user_id = :user AND enabled AND :type = ANY(events) ORDER BY created_at, id""")
                .param("event", eventId).param("user", userId).param("type", type).update();
    }

    public UUID insertDelivery(UUID eventId, UUID endpointId, UUID userId) {
        return jdbc.sql("INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id) VALUES (:event, :endpoint, :user) "
                + "RETURNING id").param("event", eventId).param("endpoint", endpointId).param("user", userId)
                .query(UUID.class).single();
    }

    /**
     * Leases due deliveries for {@code lease}, at most one per endpoint and none of an endpoint that has
     * one in flight, the oldest of each endpoint first (so an endpoint gets its events in order while
     * it answers). Rows another worker is leasing are skipped, not waited for, and the next queue head
     * is taken instead: a worker comes back empty only when every due head is in flight. One statement,
     * in its own transaction: no connection is held once it returns.
     */
    public List<Leased> lease(int limit, Duration lease) {
        // The lease state is checked again at the locking level: under READ COMMITTED, PostgreSQL re-reads a
        // row a concurrent worker has just leased only for the conditions of the query that locks it.
        // The queue heads and the locked rows are MATERIALIZED CTEs, each computed once, and the UPDATE joins
        // the locked rows by primary key. Inlined, the planner (estimating one pending row: a burst outruns
        // the table's statistics) nested the heads' scan of every due row, or the locking subquery with it,
        // inside a loop over the pending rows: 0.15 to 0.9 s a lease at 900 pending, 4-8 deliveries/s in
        // bench/outbound-delivery.sh. The LIMIT applies after SKIP LOCKED, so a head another worker is
        // leasing does not leave this one empty-handed: it takes the next endpoint's. Whether an endpoint is
        // enabled and not busy is a property of the endpoint, so it is checked on the heads only, after
        // DISTINCT ON, not joined to every due row (the lease's cost grows with the due rows: 2-4 ms at 5,000).
        return jdbc.sql("""
                WITH busy AS (SELECT DISTINCT endpoint_id FROM webhook_deliveries
                               WHERE status = 'pending' AND leased_until >= now()),
                     heads AS MATERIALIZED (
                         SELECT h.id FROM (SELECT DISTINCT ON (p.endpoint_id) p.id, p.endpoint_id
                                             FROM webhook_deliveries p
                                            WHERE p.status = 'pending' AND p.next_attempt_at <= now()
                                              AND (p.leased_until IS NULL OR p.leased_until < now())
                                            ORDER BY p.endpoint_id, p.seq) h
                           JOIN webhook_endpoints w ON w.id = h.endpoint_id AND w.enabled
                          WHERE h.endpoint_id NOT IN (SELECT endpoint_id FROM busy)),
                     picked AS MATERIALIZED (
                         SELECT c.id FROM webhook_deliveries c
                          WHERE c.id IN (SELECT id FROM heads)
                            AND c.status = 'pending' AND (c.leased_until IS NULL OR c.leased_until < now())
                          ORDER BY c.next_attempt_at, c.seq LIMIT :limit
                            FOR UPDATE OF c SKIP LOCKED)
                UPDATE webhook_deliveries d
                   SET leased_until = now() + make_interval(secs => :lease), attempts = d.attempts + 1
                  FROM picked, outbound_events e, webhook_endpoints w
                 WHERE d.id = picked.id
                   AND d.status = 'pending' AND (d.leased_until IS NULL OR d.leased_until < now())
                   AND e.id = d.event_id AND w.id = d.endpoint_id
                RETURNING d.id, d.attempts, d.created_at, d.user_id, e.id AS event_id, e.payload::text AS body,
                          w.id AS endpoint_id, w.url, w.secret,
                          CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret""")
                .param("lease", lease.toMillis() / 1000.0).param("limit", limit)
                .query((rs, n) -> new Leased(rs.getObject("id", UUID.class), rs.getInt("attempts"),
                        instant(rs, "created_at"), rs.getObject("user_id", UUID.class), rs.getObject("event_id", UUID.class),
                        rs.getString("body"), rs.getObject("endpoint_id", UUID.class), rs.getString("url"),
                        rs.getString("secret"), rs.getString("previous_secret")))
                .list();
    }

    public void recordAttempt(UUID deliveryId, Instant at, Integer status, int durationMs, String error) {
        jdbc.sql("INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, response_status, duration_ms, error) "
                + "VALUES (:id, :at, :status, :duration, :error)")
                .param("id", deliveryId).param("at", utc(at)).param("status", status).param("duration", durationMs)
                .param("error", error).update();
    }

    /** A successful attempt ends the delivery. */
    public void succeeded(UUID deliveryId, Instant at, int responseStatus, int durationMs) {
        jdbc.sql("""
                UPDATE webhook_deliveries
                   SET status = 'succeeded', leased_until = NULL, last_attempt_at = :at, last_response_status = :response,
                       last_duration_ms = :duration, last_error = NULL
                 WHERE id = :id""")
                .param("at", utc(at)).param("response", responseStatus).param("duration", durationMs)
                .param("id", deliveryId).update();
    }

    /**
     * A failed attempt: the delivery waits {@code retryAfter}, or is given up (failed) once it is older
     * than {@code retryFor}. Returns its status afterwards.
     */
    public String failed(UUID deliveryId, Instant at, Integer responseStatus, int durationMs, String error,
            Duration retryAfter, Duration retryFor) {
        return jdbc.sql("""
                UPDATE webhook_deliveries
                   SET status = CASE WHEN created_at <= now() - make_interval(secs => :retryFor) THEN 'failed'
                                     ELSE 'pending' END,
                       next_attempt_at = now() + make_interval(secs => :retryAfter),
                       leased_until = NULL, last_attempt_at = :at, last_response_status = :response,
                       last_duration_ms = :duration, last_error = :error
                 WHERE id = :id RETURNING status""")
                .param("retryFor", retryFor.toMillis() / 1000.0).param("retryAfter", retryAfter.toMillis() / 1000.0)
                .param("at", utc(at)).param("response", responseStatus).param("duration", durationMs)
                .param("error", error).param("id", deliveryId).query(String.class).optional().orElse("failed");
    }

    /**
     * Deletes (with their deliveries and attempts) up to {@code batch} events older than {@code keep}
     * that no pending delivery still needs; returns how many.
     */
    public int prune(Duration keep, int batch) {
        return jdbc.sql("""
                DELETE FROM outbound_events WHERE id IN (
                    SELECT e.id FROM outbound_events e
                     WHERE e.created_at < now() - make_interval(secs => :keep)
                       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
                     LIMIT :batch)""")
                .param("keep", keep.toMillis() / 1000.0).param("batch", batch).update();
    }

    /** Queues a delivery of the endpoint again, now; empty when not the tenant's or in flight right now. */
    public Optional<UUID> redeliver(UUID userId, UUID endpointId, UUID deliveryId) {
        return jdbc.sql("""
                UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), leased_until = NULL
                 WHERE id = :id AND endpoint_id = :endpoint AND user_id = :user
                   AND (leased_until IS NULL OR leased_until < now()) RETURNING event_id""")
                .param("id", deliveryId).param("endpoint", endpointId).param("user", userId)
                .query(UUID.class).optional();
    }

    public boolean deliveryExists(UUID userId, UUID endpointId, UUID deliveryId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = :id AND endpoint_id = :endpoint "
                + "AND user_id = :user)").param("id", deliveryId).param("endpoint", endpointId).param("user", userId)
                .query(Boolean.class).single();
    }

    public long countDeliveries(UUID userId, UUID endpointId) {
        return jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = :endpoint AND user_id = :user")
                .param("endpoint", endpointId).param("user", userId).query(Long.class).single();
    }

    /** The endpoint's deliveries, newest first, each with its attempts in order. */
    public List<DeliveryView> deliveries(UUID userId, UUID endpointId, int limit, long offset) {
        Map<UUID, DeliveryView> page = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.last_response_status, d.last_duration_ms,
                       d.last_error, d.last_attempt_at, d.next_attempt_at, d.created_at
                  FROM webhook_deliveries d JOIN outbound_events e ON e.id = d.event_id
                 WHERE d.endpoint_id = :endpoint AND d.user_id = :user
                 ORDER BY d.seq DESC LIMIT :limit OFFSET :offset""")
                .param("endpoint", endpointId).param("user", userId).param("limit", limit).param("offset", offset)
                .query((rs, n) -> delivery(rs)).list().forEach(view -> page.put(view.id(), view));
        if (page.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<AttemptView>> attempts = new LinkedHashMap<>();
        jdbc.sql("SELECT delivery_id, attempted_at, response_status, duration_ms, error FROM webhook_delivery_attempts "
                + "WHERE delivery_id = ANY(:ids) ORDER BY id")
                .param("ids", page.keySet().toArray(UUID[]::new))
                .query((rs, n) -> Map.entry(rs.getObject("delivery_id", UUID.class), new AttemptView(
                        instant(rs, "attempted_at"), (Integer) rs.getObject("response_status"), rs.getInt("duration_ms"),
                        rs.getString("error"))))
                .list().forEach(entry -> attempts.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
        return page.values().stream().map(view -> new DeliveryView(view.id(), view.eventId(), view.eventType(),
                view.status(), view.attempts(), view.lastResponseStatus(), view.lastDurationMs(), view.lastError(),
                view.lastAttemptAt(), view.nextAttemptAt(), view.createdAt(), attempts.getOrDefault(view.id(), List.of())))
                .toList();
    }

    private static DeliveryView delivery(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        return new DeliveryView(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class), rs.getString("type"),
                status, rs.getInt("attempts"), (Integer) rs.getObject("last_response_status"),
                (Integer) rs.getObject("last_duration_ms"), rs.getString("last_error"), instant(rs, "last_attempt_at"),
                "pending".equals(status) ? instant(rs, "next_attempt_at") : null, instant(rs, "created_at"), List.of());
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** A delivery leased for one attempt, with what sending it needs. */
    public record Leased(UUID id, int attempt, Instant createdAt, UUID userId, UUID eventId, String body,
            UUID endpointId, String url, String secret, String previousSecret) {
    }
}
