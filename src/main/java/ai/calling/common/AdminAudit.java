package ai.calling.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import ai.calling.common.internal.AuditLogQueries;
import ai.calling.common.internal.AuditLogQueries.Filter;

/**
 * The one component through which every admin mutation, in any feature, is recorded in
 * admin_audit_log: who, what, on which resource and user, with details, address and user agent.
 * It writes in the caller's transaction, so a change and its audit row commit or fail together.
 */
@Service
public class AdminAudit {

    private final AuditLogQueries queries;
    private final JsonMapper json;

    AdminAudit(AuditLogQueries queries, JsonMapper json) {
        this.queries = queries;
        this.json = json;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(CurrentUser actor, String action, String resourceType, String resourceId, UUID targetUserId,
            Map<String, ?> details, HttpServletRequest request) {
        queries.append(actor.memberId(), action, resourceType, resourceId, targetUserId,
                json.writeValueAsString(details == null ? Map.of() : details),
                request == null ? null : request.getRemoteAddr(),
                request == null ? null : request.getHeader(HttpHeaders.USER_AGENT));
    }

    /** Newest first, optionally only one action or one target user. */
    @Transactional(readOnly = true)
    public PageResponse<AuditEntry> list(String action, UUID targetUserId, UUID adminUserId, Instant from, Instant to,
            PageRequest page) {
        Filter filter = new Filter(action, targetUserId, adminUserId,
                from == null ? null : from.atOffset(ZoneOffset.UTC), to == null ? null : to.atOffset(ZoneOffset.UTC));
        return new PageResponse<>(queries.page(filter, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), queries.count(filter));
    }

    public record AuditEntry(UUID id, UUID adminUserId, String action, String resourceType, String resourceId,
            UUID targetUserId, JsonNode details, String ipAddress, String userAgent, Instant createdAt) {
    }
}
