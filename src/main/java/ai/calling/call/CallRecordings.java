package ai.calling.call;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import ai.calling.bolna.BolnaRecordings;
import ai.calling.bolna.BolnaRecordings.Recording;
import ai.calling.common.ApiException;
import ai.calling.common.ByteRange;

/**
 * Relays a call's recording from the provider to the client, a buffer at a time, never the whole
 * file. The recording's address is read in a short transaction; the provider is fetched and the
 * bytes copied with no transaction and no pooled connection held. {@code Range} goes to the
 * provider; a provider that ignores it (200 with a length) is answered with the range cut out here.
 */
@Component
class CallRecordings {

    static final int BUFFER = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(CallRecordings.class);

    private final CallService calls;
    private final BolnaRecordings recordings;

    CallRecordings(CallService calls, BolnaRecordings recordings) {
        this.calls = calls;
        this.recordings = recordings;
    }

    void stream(UUID userId, UUID callId, String range, HttpServletResponse response) throws IOException {
        String url = calls.recordingUrl(userId, callId);
        try (Recording recording = recordings.open(url, range)) {
            response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
            if (recording.status() == 416) {
                unsatisfiable(response, recording.contentRange());
            }
            response.setContentType(recording.contentType() == null ? "application/octet-stream"
                    : recording.contentType());
            if (recording.status() == 206) {
                response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
                if (recording.contentRange() != null) {
                    response.setHeader(HttpHeaders.CONTENT_RANGE, recording.contentRange());
                }
                recording.contentLength().ifPresent(response::setContentLengthLong);
                copy(recording.body(), response.getOutputStream(), Long.MAX_VALUE);
                return;
            }
            Optional<ByteRange> cut = Optional.empty();
            if (recording.contentLength().isPresent()) {
                long total = recording.contentLength().getAsLong();
                try {
                    cut = ByteRange.parse(range, total);
                } catch (ByteRange.Unsatisfiable outside) {
                    unsatisfiable(response, "bytes */" + total);
                }
                if (cut.isPresent()) {
                    response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
                    response.setHeader(HttpHeaders.CONTENT_RANGE, cut.get().contentRange(total));
                    response.setContentLengthLong(cut.get().length());
                    recording.body().skipNBytes(cut.get().start());
                    copy(recording.body(), response.getOutputStream(), cut.get().length());
                    return;
                }
                response.setContentLengthLong(total);
            }
            copy(recording.body(), response.getOutputStream(), Long.MAX_VALUE);
        }
    }

    private static void unsatisfiable(HttpServletResponse response, String contentRange) {
        if (contentRange != null) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, contentRange);
        }
        throw new ApiException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Range Not Satisfiable",
                "The requested range lies outside the recording");
    }

    /** Copies at most {@code limit} bytes; a client that went away ends the copy quietly. */
    private static void copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long left = limit;
        while (left > 0) {
            int read;
            try {
                read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            } catch (IOException providerFailed) {
                log.warn("The provider broke off the recording: {}", providerFailed.toString());
                throw providerFailed;
            }
            if (read < 0) {
                break;
            }
            try {
                out.write(buffer, 0, read);
            } catch (IOException clientGone) {
                log.debug("The client went away during a recording");
                return;
            }
            left -= read;
        }
        out.flush();
    }
}
