package ai.calling.team.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import ai.calling.common.CurrentUser;

/**
 * Records in the team's audit log every change a member made through the API: each successful
 * request other than a read, as the operation ({@code POST /api/campaigns/{id}/start}), the id in
 * its path, who (the member, or the API key's creator), from where. Written once the request has
 * been handled, in its own statement: a change never fails because its audit row could not be
 * written (that is logged). The team's own changes are recorded by the team module, with details,
 * in their transaction; the account's own settings ({@code /api/auth/**}) are personal, not the
 * workspace's.
 */
@Component
public class TeamAuditRecorder implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(TeamAuditRecorder.class);
    private static final List<String> NOT_RECORDED = List.of("/api/admin/", "/api/auth/", "/api/team/",
            "/api/webhooks/");
    private static final List<String> READS = List.of("GET", "HEAD", "OPTIONS");

    private final TeamAuditLog audit;

    TeamAuditRecorder(TeamAuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (ex != null || response.getStatus() < 200 || response.getStatus() > 299
                || READS.contains(request.getMethod())
                || NOT_RECORDED.stream().anyMatch(request.getRequestURI()::startsWith)
                || !(SecurityContextHolder.getContext().getAuthentication() != null
                        && SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof CurrentUser user)) {
            return;
        }
        String pattern = String.valueOf(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", response.getStatus());
        details.put("via", user.sessionId() == null ? "api_key" : "session");
        if (variables != null && !variables.isEmpty()) {
            details.put("path", variables);
        }
        try {
            audit.append(user.id(), user.memberId(), request.getMethod() + " " + pattern, resourceType(pattern),
                    resourceId(variables, response), details, request.getRemoteAddr(),
                    request.getHeader(HttpHeaders.USER_AGENT));
        } catch (RuntimeException notRecorded) {
            log.warn("The audit log did not record {} {} of member {} in workspace {}: {}", request.getMethod(),
                    pattern, user.memberId(), user.id(), notRecorded.toString());
        }
    }

    /** The first segment after {@code /api/}: campaigns, calls, agents, ... */
    static String resourceType(String pattern) {
        String[] segments = pattern.split("/");
        return segments.length > 2 ? segments[2] : null;
    }

    /** The {@code id} of the path (or its only variable), else the last segment of a Location header. */
    static String resourceId(Map<String, String> variables, HttpServletResponse response) {
        if (variables != null && variables.containsKey("id")) {
            return variables.get("id");
        }
        if (variables != null && variables.size() == 1) {
            return variables.values().iterator().next();
        }
        String location = response.getHeader(HttpHeaders.LOCATION);
        return location == null ? null : location.substring(location.lastIndexOf('/') + 1);
    }
}
