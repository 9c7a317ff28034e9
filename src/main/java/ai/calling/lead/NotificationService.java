package ai.calling.lead;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;
import ai.calling.lead.internal.NotificationQueries;

/** Smart notifications: the lead analyses that carry one, unread first; reading marks is_read. */
@Service
public class NotificationService {

    private final NotificationQueries queries;

    NotificationService(NotificationQueries queries) {
        this.queries = queries;
    }

    @Transactional(readOnly = true)
    public Notifications list(UUID userId, PageRequest page) {
        long total = queries.count(userId, false);
        long unread = queries.count(userId, true);
        List<NotificationView> items = queries.page(userId, page);
        return new Notifications(items, page.getPageNumber(), page.getPageSize(), total, unread);
    }

    @Transactional
    public void markRead(UUID userId, UUID notificationId) {
        if (!queries.markRead(userId, notificationId)) {
            throw ApiException.notFound("The notification");
        }
    }

    @Transactional
    public int markAllRead(UUID userId) {
        return queries.markAllRead(userId);
    }

    public record NotificationView(UUID id, UUID callId, String phoneNumber, String message, String leadStatusTag,
            Integer totalScore, String demoBookDatetime, boolean isRead, Instant createdAt) {
    }

    /** The list shape plus the unread count. */
    public record Notifications(List<NotificationView> items, int page, int size, long totalItems, long unreadCount) {
    }
}
