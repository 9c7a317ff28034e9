package ai.calling.team.internal;

import java.lang.reflect.Method;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

/**
 * Answers 403 when the caller's role in the workspace is below what the endpoint needs
 * ({@link RequiresTeamRole}, or viewer to read and member to change). It runs before the handler
 * reads the body or looks up an id, so the answer is the same for an id that exists, one that
 * does not and another workspace's. Anonymous requests (public endpoints) and the admin console,
 * which answers to the platform role, pass through.
 */
@Component
public class TeamRoleCheck implements HandlerInterceptor {

    private static final String ADMIN_CONSOLE = "/api/admin/";
    /** Providers' callbacks: public, whatever credentials a caller adds. */
    private static final String PROVIDER_CALLBACKS = "/api/webhooks/";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || request.getRequestURI().startsWith(ADMIN_CONSOLE)
                || request.getRequestURI().startsWith(PROVIDER_CALLBACKS)
                || !(SecurityContextHolder.getContext().getAuthentication() != null
                        && SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof CurrentUser user)) {
            return true;
        }
        TeamRole required = required(method, request.getMethod());
        if (!user.teamRole().atLeast(required)) {
            throw ApiException.forbidden("Your role in this workspace (" + user.teamRole().wireName()
                    + ") cannot do this; it needs " + required.wireName() + " or higher");
        }
        return true;
    }

    /** The endpoint's declared role (method before class), or viewer to read and member to change. */
    public static TeamRole required(HandlerMethod handler, String httpMethod) {
        Method method = handler.getMethod();
        RequiresTeamRole declared = AnnotatedElementUtils.findMergedAnnotation(method, RequiresTeamRole.class);
        if (declared == null) {
            declared = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequiresTeamRole.class);
        }
        if (declared != null) {
            return declared.value();
        }
        return HttpMethod.GET.matches(httpMethod) || HttpMethod.HEAD.matches(httpMethod) ? TeamRole.VIEWER
                : TeamRole.MEMBER;
    }
}
