package ai.calling.auth.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.SecretKey;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

import org.springframework.stereotype.Component;

import ai.calling.config.SecurityProperties;

/**
 * Access tokens: HS256 JWTs signed with {@code JWT_SECRET}, carrying the user id (subject), role and
 * session id. The secret is required (SecurityProperties); the development run keeps a generated one
 * under {@code .data/} so that a restart signs nobody out.
 */
@Component
public class AccessTokens {

    private final SecretKey key;
    private final Duration ttl;
    private final Clock clock;

    AccessTokens(SecurityProperties properties, Clock clock) {
        this.clock = clock;
        this.ttl = properties.accessTokenTtl();
        this.key = Keys.hmacShaKeyFor(properties.jwtSecret().getBytes(StandardCharsets.UTF_8));
    }

    public Duration ttl() {
        return ttl;
    }

    public Issued issue(UUID userId, String role, UUID sessionId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        String tokenId = UUID.randomUUID().toString();
        String token = Jwts.builder()
                .id(tokenId)
                .subject(userId.toString())
                .claim("role", role)
                .claim("sid", sessionId.toString())
                .issuedAt(Date.from(now))
                .expiration(Date.from(expiresAt))
                .signWith(key, Jwts.SIG.HS256)
                .compact();
        return new Issued(token, tokenId, expiresAt);
    }

    /** The verified claims of a token, or empty when it is malformed, forged or expired. */
    public Optional<Verified> verify(String token) {
        try {
            Claims claims = Jwts.parser().verifyWith(key).clock(() -> Date.from(clock.instant())).build()
                    .parseSignedClaims(token).getPayload();
            String subject = claims.getSubject();
            String session = claims.get("sid", String.class);
            if (subject == null || session == null) {
                // validly signed, but not one of ours: every token we issue names its user and session
                return Optional.empty();
            }
            return Optional.of(new Verified(UUID.fromString(subject), UUID.fromString(session)));
        } catch (JwtException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public record Issued(String token, String tokenId, Instant expiresAt) {
    }

    public record Verified(UUID userId, UUID sessionId) {
    }
}
