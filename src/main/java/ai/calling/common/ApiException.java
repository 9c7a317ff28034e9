package ai.calling.common;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A failure with a meaning for the client: its status, a short title and a detail written for a
 * person. The advice turns it into an RFC 9457 problem detail. Services throw these; they never
 * carry SQL, class names or stack traces to the client.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> properties;

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of(), Map.of());
    }

    public ApiException(HttpStatus status, String title, String detail, List<FieldError> errors,
            Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.properties = Map.copyOf(properties);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not Found", what + " was not found");
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Bad Request", detail);
    }

    public static ApiException invalidField(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Validation failed", field + ": " + message,
                List.of(new FieldError(field, message)), Map.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    /** 429 with a {@code Retry-After} header of the given number of seconds (at least 1). */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", detail, List.of(),
                Map.of("retryAfterSeconds", Math.max(1, retryAfterSeconds)));
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** One invalid input field, as listed in a validation problem's {@code errors}. */
    public record FieldError(String field, String message) {
    }
}
