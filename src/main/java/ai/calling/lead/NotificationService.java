package ai.calling.lead;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;

/** Smart notifications: the lead analyses that carry one, unread first; reading marks is_read. */
@Service
public class NotificationService {

    private final JdbcClient jdbc;

    NotificationService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Notifications list(UUID userId, PageRequest page) {
        long total = count(userId, false);
        long unread = count(userId, true);
        List<NotificationView> items = jdbc.sql("""
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
        return new Notifications(items, page.getPageNumber(), page.getPageSize(), total, unread);
    }

    @Transactional
    public void markRead(UUID userId, UUID notificationId) {
        int updated = jdbc.sql("UPDATE lead_analytics SET is_read = true WHERE id = :id AND user_id = :user")
                .param("id", notificationId).param("user", userId).update();
        if (updated == 0) {
            throw ApiException.notFound("The notification");
        }
    }

    @Transactional
    public int markAllRead(UUID userId) {
        return jdbc.sql("UPDATE lead_analytics SET is_read = true WHERE user_id = :user AND NOT is_read")
                .param("user", userId).update();
    }

    private long count(UUID userId, boolean unreadOnly) {
        return jdbc.sql("SELECT count(*) FROM lead_analytics WHERE user_id = :user AND smart_notification IS NOT NULL"
                + " AND smart_notification <> ''" + (unreadOnly ? " AND NOT is_read" : ""))
                .param("user", userId).query(Long.class).single();
    }

    public record NotificationView(UUID id, UUID callId, String phoneNumber, String message, String leadStatusTag,
            Integer totalScore, String demoBookDatetime, boolean isRead, Instant createdAt) {
    }

    /** The list shape plus the unread count. */
    public record Notifications(List<NotificationView> items, int page, int size, long totalItems, long unreadCount) {
    }
}
