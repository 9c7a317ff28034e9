package ai.calling.bolna;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import ai.calling.common.ApiException;
import ai.calling.config.BolnaProperties;

/**
 * Opens a call recording at the provider (the presigned storage URL Bolna gave us) as a stream, for
 * this server to relay: only from {@code BOLNA_RECORDING_HOSTS} (a redirect is followed only to an
 * allowed host), passing the client's {@code Range} on. The body is never read here: the caller
 * copies it to its client and closes it. Any failure of the provider is a 502 problem detail.
 */
@Component
public class BolnaRecordings {

    static final int MAX_REDIRECTS = 3;
    private static final Logger log = LoggerFactory.getLogger(BolnaRecordings.class);

    private final List<String> allowedHosts;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    BolnaRecordings(BolnaProperties properties) {
        this.allowedHosts = properties.recordingHosts().stream().map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.timeout = properties.readTimeout();
    }

    /** The provider's answer: 200 (whole), 206 (the range asked for) or 416; the body still to be read. */
    public record Recording(int status, String contentType, OptionalLong contentLength, String contentRange,
            InputStream body) implements AutoCloseable {

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
    }

    public Recording open(String url, String range) {
        URI uri = parse(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            if (!allowed(uri, allowedHosts)) {
                log.warn("Recording host {} is not in BOLNA_RECORDING_HOSTS; not fetched", uri.getHost());
                throw failed("The recording is stored on a host this server does not fetch from");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (range != null && !range.isBlank()) {
                request.header("Range", range);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                log.warn("Recording fetch failed: {}", e.toString());
                throw failed("The recording could not be fetched from the provider");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed("The recording could not be fetched from the provider");
            }
            int status = response.statusCode();
            if (status == 200 || status == 206 || status == 416) {
                return new Recording(status, response.headers().firstValue("Content-Type").orElse(null),
                        response.headers().firstValueAsLong("Content-Length"),
                        response.headers().firstValue("Content-Range").orElse(null), response.body());
            }
            closeQuietly(response.body());
            String location = response.headers().firstValue("Location").orElse(null);
            if (status >= 300 && status < 400 && location != null) {
                uri = uri.resolve(location);
                continue;
            }
            log.warn("Recording fetch answered {}", status);
            throw failed("The provider answered " + status + " for the recording");
        }
        throw failed("The provider redirected the recording too often");
    }

    /** Whether the URL's host (and port) is one of the allowed: {@code host} means its scheme's default port. */
    static boolean allowed(URI uri, List<String> allowedHosts) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        int defaultPort = scheme.equals("https") ? 443 : 80;
        return allowedHosts.contains(host + ":" + port) || (port == defaultPort && allowedHosts.contains(host));
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw failed("The recording's address is not usable");
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static ApiException failed(String detail) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "Bad Gateway", detail);
    }
}
