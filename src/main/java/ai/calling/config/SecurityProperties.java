package ai.calling.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings.
 *
 * @param jwtSecret          HMAC key for access tokens ({@code JWT_SECRET}), at least 32 bytes; required
 * @param accessTokenTtl     lifetime of an access token
 * @param adminEmail         e-mail of the super_admin created at start-up if missing ({@code ADMIN_EMAIL})
 * @param adminPassword      that super_admin's initial password ({@code ADMIN_PASSWORD})
 * @param corsAllowedOrigins browser origins allowed to call the API ({@code CORS_ALLOWED_ORIGINS})
 * @param authRequestsPerMinute requests one client IP may make to {@code /api/auth/**} per minute
 * @param metricsScrapeToken  bearer token a metrics scraper may present for {@code /actuator/prometheus}
 *                            ({@code METRICS_SCRAPE_TOKEN}); without it only admins may read the metrics
 *                            on the API port (on a separate {@code MANAGEMENT_SERVER_PORT} they are open)
 */
@ConfigurationProperties("app.security")
public record SecurityProperties(
        String jwtSecret,
        @DefaultValue("15m") Duration accessTokenTtl,
        String adminEmail,
        String adminPassword,
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue("60") int authRequestsPerMinute,
        String metricsScrapeToken) {

    public static final int MIN_JWT_SECRET_BYTES = 32;

    public SecurityProperties {
        if (!Secrets.isSet(jwtSecret)) {
            throw new IllegalArgumentException("JWT_SECRET is not set. Set it to a random value of at least "
                    + MIN_JWT_SECRET_BYTES + " bytes (e.g. openssl rand -base64 48); the development run"
                    + " (./mvnw spring-boot:test-run) generates one into .data/jwt-secret");
        }
        if (jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT_SECRET must be at least " + MIN_JWT_SECRET_BYTES
                    + " bytes long (it is " + jwtSecret.getBytes(StandardCharsets.UTF_8).length + ")");
        }
        corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : List.copyOf(corsAllowedOrigins);
    }

    public boolean adminBootstrapConfigured() {
        return Secrets.isSet(adminEmail) && Secrets.isSet(adminPassword);
    }

    @Override
    public String toString() {
        return "SecurityProperties[jwtSecret=" + Secrets.mask(jwtSecret) + ", accessTokenTtl=" + accessTokenTtl
                + ", adminEmail=" + adminEmail + ", adminPassword=" + Secrets.mask(adminPassword)
                + ", corsAllowedOrigins=" + corsAllowedOrigins + ", authRequestsPerMinute=" + authRequestsPerMinute
                + ", metricsScrapeToken=" + Secrets.mask(metricsScrapeToken) + "]";
    }
}
