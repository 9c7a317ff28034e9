package ai.calling.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds on what one request may make the server read.
 *
 * @param maxBodySize          the largest request body accepted on any path but uploads
 *                             ({@code MAX_REQUEST_BODY_SIZE}, 1 MB): refused with 413 before it is read
 * @param maxUploadSize        the largest multipart upload (the CSV uploads), the multipart limit
 *                             {@code spring.servlet.multipart.max-request-size}
 */
@ConfigurationProperties("app.http")
public record HttpLimitsProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("21MB") DataSize maxUploadSize) {
}
