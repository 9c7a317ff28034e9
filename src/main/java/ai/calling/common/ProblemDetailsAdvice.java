package ai.calling.common;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

import ai.calling.common.internal.DatabaseFailures;
import ai.calling.common.internal.StrictRequestJson.RejectedValueException;
import ai.calling.config.HttpLimitsProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place where failures become HTTP answers: RFC 9457 {@code application/problem+json}
 * with {@code status}, {@code title}, {@code detail} and, for validation, {@code errors} of
 * {@code {field, message}}. Nothing internal (SQL, class names, stack traces) reaches the client.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final long databaseRetryAfterSeconds;

    ProblemDetailsAdvice(HttpLimitsProperties limits) {
        this.databaseRetryAfterSeconds = Math.max(1, limits.databaseRetryAfter().toSeconds());
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        ProblemDetail problem = problem(e.status(), e.title(), e.getMessage(), request);
        if (!e.errors().isEmpty()) {
            problem.setProperty("errors", e.errors());
        }
        e.properties().forEach(problem::setProperty);
        return respond(problem, e.properties());
    }

    /** Raised by the security filters (no or bad credentials) and rendered here through the entry point. */
    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.UNAUTHORIZED, "Unauthorized",
                "Sign in first: this request needs a valid access token", request);
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.FORBIDDEN, "Forbidden",
                "Your role does not allow this request", request), Map.of());
    }

    @ExceptionHandler(BindException.class)
    ResponseEntity<ProblemDetail> invalidBody(BindException e, HttpServletRequest request) {
        List<ApiException.FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new ApiException.FieldError(error.getField(), error.getDefaultMessage()))
                .toList();
        return validation(errors, request);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException e, HttpServletRequest request) {
        List<ApiException.FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new ApiException.FieldError(
                                result.getMethodParameter().getParameterName(), error.getDefaultMessage())))
                .toList();
        return validation(errors, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e, HttpServletRequest request) {
        List<ApiException.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ApiException.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return validation(errors, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        if (cause(e, BodyTooLargeException.class).isPresent()) {
            return tooLarge(cause(e, BodyTooLargeException.class).orElseThrow(), request);
        }
        Optional<JacksonException> json = cause(e, JacksonException.class);
        if (json.isPresent() && !(json.get() instanceof StreamReadException) && !json.get().getPath().isEmpty()) {
            return validation(List.of(new ApiException.FieldError(path(json.get()), reason(json.get()))), request);
        }
        return respond(problem(HttpStatus.BAD_REQUEST, "Bad Request",
                "The request body is missing or is not valid JSON of the expected shape", request), Map.of());
    }

    /** A body that passed its cap while being read (RequestBodyLimitFilter); one over its declared length never is. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                "The request body is larger than this endpoint accepts (" + e.limit() + " bytes)", request), Map.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return validation(List.of(new ApiException.FieldError(e.getName(), "has an invalid value")), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e,
            HttpServletRequest request) {
        return validation(List.of(new ApiException.FieldError(e.getParameterName(), "is required")), request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                "The upload is larger than this endpoint accepts", request), Map.of());
    }

    /** A multipart body that is not one (no boundary, truncated parts). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.BAD_REQUEST, "Bad Request",
                "The upload is not a readable multipart/form-data body", request), Map.of());
    }

    /** Spring MVC's own errors (404 for unknown paths, 405, 415, ...) keep their status. */
    private ResponseEntity<ProblemDetail> framework(ErrorResponse e, HttpServletRequest request) {
        HttpStatusCode status = e.getStatusCode();
        HttpStatus known = HttpStatus.resolve(status.value());
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = e.getBody().getDetail() == null ? title : e.getBody().getDetail();
        ProblemDetail problem = problem(status, title, detail, request);
        return ResponseEntity.status(status).headers(e.getHeaders()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** The client has gone (a closed live event stream, typically): there is nobody to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone() {
        // nothing to write; not an error of ours
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        return failure(e, request);
    }

    /**
     * Any other failure: a framework error keeps its status; a lost database is a 503 the client may
     * retry; a value the database refused to store is the request's fault (400); anything else is a
     * logged 500. Also used by {@link ProblemErrorController} for failures outside Spring MVC.
     */
    ResponseEntity<ProblemDetail> failure(Throwable e, HttpServletRequest request) {
        if (e instanceof ErrorResponse frameworkError) {
            return framework(frameworkError, request);
        }
        if (e instanceof RequestRejectedException) {
            // Spring Security's firewall: a header value or path it does not let through
            return respond(problem(HttpStatus.BAD_REQUEST, "Bad Request",
                    "The request has a header value or path this server does not accept", request), Map.of());
        }
        if (DatabaseFailures.unavailable(e)) {
            log.warn("Database unavailable on {} {}: {}", request.getMethod(), path(request), e.toString());
            return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
                    "The database is unavailable for a moment; retry shortly", request),
                    Map.of("retryAfterSeconds", databaseRetryAfterSeconds));
        }
        Optional<String> refused = DatabaseFailures.refusedValue(e);
        if (refused.isPresent()) {
            log.warn("The database refused a value of {} {} (SQLSTATE {})", request.getMethod(), path(request),
                    refused.get());
            return respond(problem(HttpStatus.BAD_REQUEST, "Bad Request",
                    "A value in the request is out of range or cannot be stored", request), Map.of());
        }
        log.error("Unhandled error on {} {}", request.getMethod(), path(request), e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
                "An unexpected error occurred; it has been logged", request), Map.of());
    }

    private ResponseEntity<ProblemDetail> validation(List<ApiException.FieldError> errors, HttpServletRequest request) {
        String detail = errors.isEmpty() ? "The request is invalid"
                : errors.stream().map(err -> err.field() + ": " + err.message()).reduce((a, b) -> a + "; " + b)
                        .orElseThrow();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Validation failed", detail, request);
        problem.setProperty("errors", errors);
        return respond(problem, Map.of());
    }

    /** The JSON path of a binding failure as clients name fields: {@code contacts[2].phoneNumber}. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /** What was wrong with the value, without Jackson's class names. */
    private static String reason(JacksonException e) {
        if (e instanceof RejectedValueException rejected) {
            return rejected.reason();
        }
        if (e instanceof InvalidFormatException) {
            return "has an invalid value";
        }
        if (e instanceof MismatchedInputException) {
            return "has the wrong type";
        }
        return "is invalid";
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    static ProblemDetail problem(HttpStatusCode status, String title, String detail,
            HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        try {
            problem.setInstance(URI.create(path(request)));
        } catch (IllegalArgumentException notAUri) {
            // a path Tomcat let through that java.net.URI cannot hold: the problem goes without an instance
        }
        return problem;
    }

    /** The path the client asked for, also when the container forwarded the failure to /error. */
    private static String path(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return original instanceof String uri ? uri : request.getRequestURI();
    }

    static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, Map<String, Object> properties) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        Object retryAfter = properties.get("retryAfterSeconds");
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, retryAfter.toString());
        }
        return builder.body(problem);
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
