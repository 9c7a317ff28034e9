package ai.calling.common.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's answer to the requests it refuses before the application sees them (an encoded NUL or
 * {@code ..%2f} in the path, a malformed request line, headers over the limit): the same RFC 9457
 * problem detail as every other error, instead of Tomcat's HTML page. Nothing about the server
 * (version, stack trace) is written.
 */
public class ProblemDetailsErrorReportValve extends ErrorReportValve {

    /** Tomcat's own message (in the server's locale) for a request whose headers pass the limit. */
    private static final String HEADERS_TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
            .getString("iib.requestheadertoolarge.error");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        if (status == 400 && throwable != null && HEADERS_TOO_LARGE.equals(throwable.getMessage())) {
            // the header cap (server.max-http-request-header-size): said as such, like the body cap's 413
            status = HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.value();
            response.setStatus(status);
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 400 -> "The request could not be read: its request line, path or header encoding is malformed";
            case 431 -> "The request headers are larger than this server accepts";
            default -> title;
        };
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is closed: nothing more to tell it
        }
    }
}
