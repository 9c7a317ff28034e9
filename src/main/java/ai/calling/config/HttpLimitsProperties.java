package ai.calling.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds on what one request may make the server read, and how clients are told to come back.
 *
 * @param maxBodySize          the largest request body accepted on any path but uploads
 *                             ({@code MAX_REQUEST_BODY_SIZE}, 1 MB): refused with 413 before it is read
 * @param maxUploadSize        the largest multipart upload (the CSV uploads), the multipart limit
 *                             {@code spring.servlet.multipart.max-request-size}
 * @param databaseRetryAfter   the {@code Retry-After} of the 503 answered while the database cannot be reached
 * @param maxConcurrentExports account exports streamed at once by one instance
 *                             ({@code app.http.max-concurrent-exports}, 2): each holds a pooled connection and a
 *                             transaction for as long as its client takes to read it; one more is answered 429
 */
@ConfigurationProperties("app.http")
public record HttpLimitsProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("21MB") DataSize maxUploadSize,
        @DefaultValue("5s") Duration databaseRetryAfter,
        @DefaultValue("2") int maxConcurrentExports) {
}
