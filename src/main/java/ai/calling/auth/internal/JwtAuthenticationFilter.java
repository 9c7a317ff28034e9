package ai.calling.auth.internal;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

import ai.calling.auth.ApiKeys;
import ai.calling.common.CurrentUser;
import ai.calling.common.TeamRole;

/**
 * Authenticates {@code Authorization: Bearer <access token>}: the JWT must verify, and its session
 * and user (and their workspace) must still be active in the database, so sign-out, reuse detection,
 * deactivation and removal from the team take effect on the very next request. The roles, platform
 * and team, come from the database, not the token. A missing or
 * bad token leaves the request anonymous; protected paths then answer 401.
 */
class JwtAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final AccessTokens accessTokens;
    private final SessionRepository sessions;
    private final HandlerExceptionResolver errors;

    JwtAuthenticationFilter(AccessTokens accessTokens, SessionRepository sessions, HandlerExceptionResolver errors) {
        this.accessTokens = accessTokens;
        this.sessions = sessions;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && !ApiKeys.looksLikeKey(header.substring(BEARER.length()).trim())) {
            try {
                accessTokens.verify(header.substring(BEARER.length()).trim())
                        .flatMap(token -> sessions.activeIdentity(token.sessionId(), token.userId())
                                .map(who -> new CurrentUser(who.workspaceId(), who.role(), token.sessionId(),
                                        token.userId(), TeamRole.fromWire(who.teamRole()).orElseThrow())))
                        .ifPresent(JwtAuthenticationFilter::authenticate);
            } catch (RuntimeException sessionLookupFailed) {
                // the database is out of reach, typically: answered by the one advice (503, Retry-After)
                errors.resolveException(request, response, null, sessionLookupFailed);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static void authenticate(CurrentUser user) {
        var authentication = new UsernamePasswordAuthenticationToken(user, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + user.role().toUpperCase())));
        SecurityContextHolder.getContext().setAuthentication(authentication);
    }
}
