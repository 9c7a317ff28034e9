package ai.calling.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;

import ai.calling.common.ApiException;

/**
 * {@code POST /api/webhooks/bolna}: Bolna's deliveries, the busiest path of the product. A plain
 * servlet rather than a controller: it needs none of Spring MVC's argument resolution, content
 * negotiation or message conversion, and it sits outside the security filter chain because it
 * authenticates itself. Failures still go through the one error advice
 * ({@link HandlerExceptionResolver}), so their problem+json is the same as everywhere else.
 */
class BolnaWebhookServlet extends HttpServlet {

    private final transient BolnaWebhookService webhooks;
    private final transient HandlerExceptionResolver errors;
    private final transient MeterRegistry meters;

    BolnaWebhookServlet(BolnaWebhookService webhooks, HandlerExceptionResolver errors, MeterRegistry meters) {
        this.webhooks = webhooks;
        this.errors = errors;
        this.meters = meters;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        Exception failure = null;
        try {
            if (!"POST".equals(request.getMethod())) {
                throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("POST"));
            }
            webhooks.authenticate(request.getParameter("token"), request.getRemoteAddr());
            UUID event = webhooks.receive(body(request), "webhook");
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"received\":true,\"eventId\":\"" + event + "\"}");
        } catch (Exception e) {
            failure = e;
            if (errors.resolveException(request, response, null, e) == null) {
                throw new IllegalStateException(e);
            }
        } finally {
            record(request.getMethod(), response.getStatus(), failure, System.nanoTime() - started);
        }
    }

    /**
     * The request's http.server.requests sample, with the tags Spring's observation filter gives every
     * other request: that filter is not mapped to this servlet, because on this path its observation
     * cost a fifth of the request's CPU time (JFR, bench/webhook-ingest.sh).
     */
    private void record(String method, int status, Exception failure, long nanos) {
        String exception = failure == null ? "none" : failure.getClass().getSimpleName();
        Timer.builder("http.server.requests").tags("method", method, "uri", BolnaWebhookServletConfiguration.PATH,
                "status", Integer.toString(status), "outcome", Outcome.forStatus(status).name(), "exception", exception,
                "error", exception).register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > BolnaWebhookService.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(BolnaWebhookService.MAX_BODY_BYTES + 1);
        }
        if (body.length > BolnaWebhookService.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", "The body is larger than 1 MB");
    }
}
