package ai.calling.lead.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.lead.NotificationService.NotificationView;

/** Smart notifications are the lead analyses that carry one; is_read marks them read. */
@Repository
public class NotificationQueries {

    private final JdbcClient jdbc;

    NotificationQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Unread first, then newest first. */
    public List<NotificationView> page(UUID userId, PageRequest page) {
        return jdbc.sql("""
                SELECT id, call_id, phone_number, smart_notification, lead_status_tag, total_score, demo_book_datetime,
                       is_read, created_at
                  FROM lead_analytics
                 WHERE user_id = :user AND smart_notification IS NOT NULL AND smart_notification <> ''
                 ORDER BY is_read, created_at DESC, id LIMIT :limit OFFSET :offset""")
                .param("user", userId).param("limit", page.getPageSize()).param("offset", page.getOffset())
                .query((rs, n) -> new NotificationView(rs.getObject("id", UUID.class), rs.getObject("call_id", UUID.class),
                        rs.getString("phone_number"), rs.getString("smart_notification"), rs.getString("lead_status_tag"),
                        (Integer) rs.getObject("total_score"), rs.getString("demo_book_datetime"), rs.getBoolean("is_read"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Returns whether the notification exists (and is this user's). */
    public boolean markRead(UUID userId, UUID notificationId) {
        return jdbc.sql("UPDATE lead_analytics SET is_read = true WHERE id = :id AND user_id = :user")
                .param("id", notificationId).param("user", userId).update() > 0;
    }

    public int markAllRead(UUID userId) {
        return jdbc.sql("UPDATE lead_analytics SET is_read = true WHERE user_id = :user AND NOT is_read")
                .param("user", userId).update();
    }

    public long count(UUID userId, boolean unreadOnly) {
        return jdbc.sql("SELECT count(*) FROM lead_analytics WHERE user_id = :user AND smart_notification IS NOT NULL"
                + " AND smart_notification <> ''" + (unreadOnly ? " AND NOT is_read" : ""))
                .param("user", userId).query(Long.class).single();
    }
}
