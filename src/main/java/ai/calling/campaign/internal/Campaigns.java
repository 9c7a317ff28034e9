package ai.calling.campaign.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the campaigns table. */
@Repository
public class Campaigns {

    private static final String COLUMNS = """
            id, user_id, agent_id, name, status, pause_reason, timezone, window_start, window_end, window_days,
            max_concurrent_calls, retry_max_attempts, retry_on, retry_delay_minutes, started_at, completed_at,
            cancelled_at, created_at, updated_at, created_by""";

    private final JdbcClient jdbc;

    Campaigns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The settings a campaign is created or changed with. */
    public record Settings(String name, UUID agentId, String timezone, LocalTime windowStart, LocalTime windowEnd,
            List<Integer> windowDays, int maxConcurrentCalls, int retryMaxAttempts, List<String> retryOn,
            int retryDelayMinutes) {
    }

    public CampaignRow insert(UUID userId, UUID createdBy, Settings s) {
        return jdbc.sql("""
                INSERT INTO campaigns (user_id, created_by, agent_id, name, timezone, window_start, window_end,
                                       window_days, max_concurrent_calls, retry_max_attempts, retry_on,
                                       retry_delay_minutes)
                VALUES (:user, :createdBy, :agent, :name, :timezone, :start, :end, CAST(:days AS smallint[]), :max,
                        :attempts, CAST(:retryOn AS varchar[]), :delay)
                RETURNING\s""" + COLUMNS)
                .param("user", userId).param("createdBy", createdBy).param("agent", s.agentId()).param("name", s.name())
                .param("timezone", s.timezone()).param("start", s.windowStart()).param("end", s.windowEnd())
                .param("days", s.windowDays().toArray(Integer[]::new)).param("max", s.maxConcurrentCalls())
                .param("attempts", s.retryMaxAttempts()).param("retryOn", s.retryOn().toArray(String[]::new))
                .param("delay", s.retryDelayMinutes()).query(Campaigns::row).single();
    }

    public CampaignRow update(UUID id, Settings s) {
        return jdbc.sql("""
                UPDATE campaigns SET agent_id = :agent, name = :name, timezone = :timezone, window_start = :start,
                       window_end = :end, window_days = CAST(:days AS smallint[]), max_concurrent_calls = :max,
                       retry_max_attempts = :attempts, retry_on = CAST(:retryOn AS varchar[]),
                       retry_delay_minutes = :delay, updated_at = CURRENT_TIMESTAMP
                 WHERE id = :id RETURNING\s""" + COLUMNS)
                .param("id", id).param("agent", s.agentId()).param("name", s.name()).param("timezone", s.timezone())
                .param("start", s.windowStart()).param("end", s.windowEnd())
                .param("days", s.windowDays().toArray(Integer[]::new)).param("max", s.maxConcurrentCalls())
                .param("attempts", s.retryMaxAttempts()).param("retryOn", s.retryOn().toArray(String[]::new))
                .param("delay", s.retryDelayMinutes()).query(Campaigns::row).single();
    }

    /** The tenant's campaign; another tenant's id answers empty, as a missing one does. */
    public Optional<CampaignRow> find(UUID userId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE id = :id AND user_id = :user")
                .param("id", id).param("user", userId).query(Campaigns::row).optional();
    }

    /** The tenant's campaign, locked until the transaction ends (state changes and dispatch serialise on it). */
    public Optional<CampaignRow> lock(UUID userId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE id = :id AND user_id = :user FOR UPDATE")
                .param("id", id).param("user", userId).query(Campaigns::row).optional();
    }

    public long count(UUID userId, String status) {
        return jdbc.sql("SELECT count(*) FROM campaigns WHERE user_id = :user AND (CAST(:status AS text) IS NULL "
                + "OR status = :status)").param("user", userId).param("status", status).query(Long.class).single();
    }

    /** Newest first. */
    public List<CampaignRow> page(UUID userId, String status, int limit, long offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE user_id = :user AND (CAST(:status AS text) IS NULL "
                + "OR status = :status) ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("user", userId).param("status", status).param("limit", limit).param("offset", offset)
                .query(Campaigns::row).list();
    }

    /** Moves the campaign to {@code status}, stamping the time of a start, completion or cancellation. */
    public CampaignRow setStatus(UUID id, String status, String pauseReason) {
        return jdbc.sql("""
                UPDATE campaigns SET status = :status, pause_reason = :reason, updated_at = CURRENT_TIMESTAMP,
                       started_at = CASE WHEN :status = 'running' THEN COALESCE(started_at, CURRENT_TIMESTAMP)
                                         ELSE started_at END,
                       completed_at = CASE WHEN :status = 'completed' THEN CURRENT_TIMESTAMP ELSE completed_at END,
                       cancelled_at = CASE WHEN :status = 'cancelled' THEN CURRENT_TIMESTAMP ELSE cancelled_at END
                 WHERE id = :id RETURNING\s""" + COLUMNS)
                .param("id", id).param("status", status).param("reason", pauseReason).query(Campaigns::row).single();
    }

    /** Cancels every campaign of the user that has not ended; returns their ids. */
    public List<UUID> cancelAllOf(UUID userId) {
        return jdbc.sql("""
                UPDATE campaigns SET status = 'cancelled', pause_reason = NULL, cancelled_at = CURRENT_TIMESTAMP,
                       updated_at = CURRENT_TIMESTAMP
                 WHERE user_id = :user AND status IN ('draft', 'running', 'paused') RETURNING id""")
                .param("user", userId).query(UUID.class).list();
    }

    public boolean deleteDraft(UUID userId, UUID id) {
        return jdbc.sql("DELETE FROM campaigns WHERE id = :id AND user_id = :user AND status = 'draft'")
                .param("id", id).param("user", userId).update() == 1;
    }

    /** A running campaign as the dispatcher plans with it. */
    public record Running(UUID id, UUID userId, UUID agentId, int maxConcurrentCalls, int inFlight, boolean due, boolean finished) {
    }

    /**
     * Every running campaign, least recently served first: its calls in flight, whether a recipient is
     * due now (pending, its retry time reached, inside its window on its own clock), and whether it
     * has nothing left to do.
     */
    public List<Running> running(Instant now) {
        return jdbc.sql("""
                SELECT c.id, c.user_id, c.agent_id, c.max_concurrent_calls,
                       (SELECT count(*) FROM campaign_recipients r
                         WHERE r.campaign_id = c.id AND r.status = 'in_progress') AS in_flight,
                       EXISTS (SELECT 1 FROM campaign_recipients r
                                WHERE r.campaign_id = c.id AND r.status = 'pending'
                                  AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= :now)
                                  AND""" + " " + Recipients.WINDOW_OPEN + """
                              ) AS due,
                       NOT EXISTS (SELECT 1 FROM campaign_recipients r
                                    WHERE r.campaign_id = c.id AND r.status IN ('pending', 'in_progress')) AS finished
                  FROM campaigns c WHERE c.status = 'running' ORDER BY c.last_dispatched_at NULLS FIRST, c.id""")
                .param("now", utc(now))
                .query((rs, n) -> new Running(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("agent_id", UUID.class), rs.getInt("max_concurrent_calls"), rs.getInt("in_flight"),
                        rs.getBoolean("due"), rs.getBoolean("finished")))
                .list();
    }

    /**
     * The tenant's campaign for a dispatch round: stamped as served now (least recently served go
     * first) and so locked until the transaction ends, in one statement. The update's row lock conflicts
     * with {@link #lock}'s and with another dispatcher's, as the dispatch needs: state changes and
     * rounds on other instances wait for it.
     */
    public Optional<CampaignRow> lockForDispatch(UUID userId, UUID id, Instant now) {
        return jdbc.sql("UPDATE campaigns SET last_dispatched_at = :now WHERE id = :id AND user_id = :user RETURNING "
                + COLUMNS).param("id", id).param("user", userId).param("now", utc(now)).query(Campaigns::row).optional();
    }

    /**
     * Completes a running campaign that has nothing left to do; true when it did. The campaign's lock is taken
     * first, in a statement of its own, so that the check reads what was committed up to then: in one statement,
     * a check made before it waited for an upload's lock still counted the recipients as they were before the
     * upload, and completed the campaign with the upload's recipients pending in it, never to be dialled.
     * In the caller's transaction.
     */
    public boolean completeIfFinished(UUID userId, UUID id) {
        lock(userId, id);
        return jdbc.sql("""
                UPDATE campaigns SET status = 'completed', completed_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP
                 WHERE id = :id AND status = 'running'
                   AND NOT EXISTS (SELECT 1 FROM campaign_recipients r
                                    WHERE r.campaign_id = :id AND r.status IN ('pending', 'in_progress'))""")
                .param("id", id).update() == 1;
    }

    /**
     * Resumes every campaign paused for want of credits (the repair job's, every 5 minutes: a call's end that
     * released a hold while the dispatcher was pausing the campaign found it still running, and resumed
     * nothing); the dispatcher pauses again those whose accounts still cannot cover a hold. Returns their ids.
     */
    public List<UUID> resumeEveryPausedForCredits() {
        return jdbc.sql("""
                UPDATE campaigns SET status = 'running', pause_reason = NULL, updated_at = CURRENT_TIMESTAMP
                 WHERE status = 'paused' AND pause_reason = 'insufficient_credits' RETURNING id""")
                .query(UUID.class).list();
    }

    /** Which of these campaigns are cancelled. */
    public Set<UUID> cancelledAmong(Collection<UUID> ids) {
        return new HashSet<>(jdbc.sql("SELECT id FROM campaigns WHERE id = ANY(:ids) AND status = 'cancelled'")
                .param("ids", ids.toArray(UUID[]::new)).query(UUID.class).list());
    }

    /** Resumes these tenants' campaigns paused for want of credits; returns their ids. */
    public List<UUID> resumePausedForCredits(Collection<UUID> userIds) {
        return jdbc.sql("""
                UPDATE campaigns SET status = 'running', pause_reason = NULL, updated_at = CURRENT_TIMESTAMP
                 WHERE user_id = ANY(:users) AND status = 'paused' AND pause_reason = 'insufficient_credits' RETURNING id""")
                .param("users", userIds.toArray(UUID[]::new)).query(UUID.class).list();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static CampaignRow row(ResultSet rs, int n) throws SQLException {
        return new CampaignRow(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getObject("agent_id", UUID.class), rs.getString("name"), rs.getString("status"),
                rs.getString("pause_reason"), rs.getString("timezone"), rs.getObject("window_start", LocalTime.class),
                rs.getObject("window_end", LocalTime.class),
                Arrays.stream((Object[]) array(rs.getArray("window_days"))).map(day -> ((Number) day).intValue()).toList(),
                rs.getInt("max_concurrent_calls"), rs.getInt("retry_max_attempts"),
                Arrays.stream((Object[]) array(rs.getArray("retry_on"))).map(String::valueOf).toList(),
                rs.getInt("retry_delay_minutes"), instant(rs, "started_at"), instant(rs, "completed_at"),
                instant(rs, "cancelled_at"), instant(rs, "created_at"), instant(rs, "updated_at"),
                rs.getObject("created_by", UUID.class));
    }

    private static Object array(Array array) throws SQLException {
        return array.getArray();
    }
}
