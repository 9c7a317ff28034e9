package ai.calling.auth.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

import ai.calling.auth.ApiKeys;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;

/**
 * Authenticates {@code Authorization: Bearer ca_...}: an API key acts in its workspace for the member
 * who created it, with that member's current team role and the platform role {@code user}, never
 * more. It is refused (403) where only a person may act: sign-in and account paths, key management
 * (a leaked key must not mint more keys), the team's members and invitations, and the admin console. Each key has its own token bucket ({@code API_KEY_REQUESTS_PER_MINUTE}). A
 * key that does not verify leaves the request anonymous: protected paths then answer 401.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    static final String[] REFUSED_PATHS = { "/api/auth/**", "/api/api-keys/**", "/api/admin/**", "/api/team/**" };

    private final ApiKeys keys;
    private final int requestsPerMinute;
    private final HandlerExceptionResolver errors;
    private final RequestMatcher refused;
    private final Cache<UUID, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    ApiKeyAuthenticationFilter(ApiKeys keys, int requestsPerMinute, HandlerExceptionResolver errors) {
        this.keys = keys;
        this.requestsPerMinute = requestsPerMinute;
        this.errors = errors;
        this.refused = new OrRequestMatcher(List.of(REFUSED_PATHS).stream()
                .<RequestMatcher>map(path -> PathPatternRequestMatcher.withDefaults().matcher(path)).toList());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !ApiKeys.looksLikeKey(header.substring(BEARER.length()).trim())) {
            chain.doFilter(request, response);
            return;
        }
        ApiKeys.Authenticated key;
        try {
            var found = keys.authenticate(header.substring(BEARER.length()).trim());
            if (found.isEmpty()) {
                chain.doFilter(request, response);
                return;
            }
            key = found.get();
        } catch (RuntimeException lookupFailed) {
            // the database is out of reach, typically: answered by the one advice (503, Retry-After)
            errors.resolveException(request, response, null, lookupFailed);
            return;
        }
        if (refused.matches(request)) {
            errors.resolveException(request, response, null,
                    new AccessDeniedException("An API key cannot be used here; sign in instead"));
            return;
        }
        ConsumptionProbe probe = buckets.get(key.keyId(), id -> Bucket.builder()
                .addLimit(limit -> limit.capacity(requestsPerMinute).refillGreedy(requestsPerMinute, Duration.ofMinutes(1)))
                .build()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long retryAfter = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1;
            errors.resolveException(request, response, null,
                    ApiException.tooManyRequests("Too many requests with this API key; slow down", retryAfter));
            return;
        }
        CurrentUser user = new CurrentUser(key.userId(), CurrentUser.USER, null, key.createdBy(), key.teamRole(),
                key.keyId());
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(user, null,
                List.of(new SimpleGrantedAuthority("ROLE_USER"))));
        chain.doFilter(request, response);
    }
}
