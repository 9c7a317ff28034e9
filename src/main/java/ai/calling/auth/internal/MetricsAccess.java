package ai.calling.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

import ai.calling.common.CurrentUser;
import ai.calling.config.SecurityProperties;
import ai.calling.config.Secrets;

/**
 * Who may read {@code /actuator/prometheus}: anyone on the separate management port (set with
 * {@code MANAGEMENT_SERVER_PORT}, which operators keep off the public network), and on the API port
 * an admin, or a scraper presenting {@code Authorization: Bearer <METRICS_SCRAPE_TOKEN>} (compared
 * in constant time). Nobody else: the metrics name endpoints, tenants' traffic and the schema.
 */
@Component
class MetricsAccess implements AuthorizationManager<RequestAuthorizationContext>,
        ApplicationListener<WebServerInitializedEvent> {

    private static final String BEARER = "Bearer ";

    private final byte[] scrapeToken;
    private volatile int managementPort = -1;

    MetricsAccess(SecurityProperties properties) {
        this.scrapeToken = Secrets.isSet(properties.metricsScrapeToken())
                ? properties.metricsScrapeToken().getBytes(StandardCharsets.UTF_8) : null;
    }

    /** The management server, when it runs apart, starts in a child context named "management". */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            managementPort = event.getWebServer().getPort();
        }
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        HttpServletRequest request = context.getRequest();
        return new AuthorizationDecision(request.getLocalPort() == managementPort || presentsScrapeToken(request)
                || isAdmin(authentication.get()));
    }

    private boolean presentsScrapeToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return scrapeToken != null && header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && MessageDigest.isEqual(scrapeToken, header.substring(BEARER.length()).trim()
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isAdmin(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof CurrentUser user && user.isAdmin();
    }
}
