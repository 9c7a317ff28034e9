package ai.calling.integration.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import ai.calling.config.OutboundWebhookProperties;

/**
 * Sends one signed delivery. The host is resolved by the {@link AddressGuard} on every new
 * connection, so the address actually connected to is the one judged (no second lookup that DNS
 * rebinding could answer differently). Redirects are not followed, each attempt is bounded by the
 * configured timeout (connect, and the whole exchange), and at most {@code maxResponseBytes} of an
 * answer are read. No proxy from the environment is used.
 */
@Component
public class WebhookSender implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final AddressGuard guard;
    private final CloseableHttpClient client;
    private final int maxResponseBytes;
    private final Duration timeout;

    WebhookSender(OutboundWebhookProperties properties) {
        this.guard = new AddressGuard(properties.allowedNetworks());
        this.maxResponseBytes = properties.maxResponseBytes();
        this.timeout = properties.timeout();
        Timeout limit = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return guard.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return guard.resolve(host)[0].getCanonicalHostName();
            }
        };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(resolver)
                        .setMaxConnTotal(Math.max(4, properties.workers() * 2)).setMaxConnPerRoute(Math.max(2, properties.workers()))
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit)
                                .setTimeToLive(TimeValue.ofMinutes(1)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setConnectionRequestTimeout(limit).setResponseTimeout(limit).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .setUserAgent("calling-agent-webhooks/1").build();
    }

    public AddressGuard guard() {
        return guard;
    }

    /** Posts the body with the Standard Webhooks headers; never throws for the receiver's faults. */
    public Outcome send(String url, String webhookId, long timestamp, String signature, String body) {
        long started = System.nanoTime();
        HttpPost post = new HttpPost(url);
        post.setHeader("webhook-id", webhookId);
        post.setHeader("webhook-timestamp", String.valueOf(timestamp));
        post.setHeader("webhook-signature", signature);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        // the whole exchange, not only each read, is bounded: a receiver trickling bytes cannot hold a worker
        var abort = CompletableFuture.delayedExecutor(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        var cancelled = new AtomicBoolean();
        var watchdog = CompletableFuture.runAsync(() -> {
            cancelled.set(true);
            post.cancel();
        }, abort);
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, post, null);
            String head = null;
            if (response.getEntity() != null) {
                InputStream in = response.getEntity().getContent();
                head = new String(in.readNBytes(maxResponseBytes), StandardCharsets.UTF_8);
                if (in.read() != -1) {
                    // more than we read: drop the connection instead of reading the rest to reuse it
                    post.cancel();
                }
            }
            return new Outcome(response.getCode(), millisSince(started), null, head);
        } catch (AddressGuard.RefusedAddressException e) {
            log.warn("A webhook delivery was refused: {} ({})", e.getMessage(), e.address().getHostAddress());
            return new Outcome(null, millisSince(started), "refused: " + e.getMessage(), null);
        } catch (IOException | RuntimeException e) {
            String error = cancelled.get() ? "timed out after " + timeout.toSeconds() + " s"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Outcome(null, millisSince(started), error, null);
        } finally {
            watchdog.cancel(false);
            closeQuietly(response);
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException | RuntimeException ignored) {
                // the connection was dropped on purpose (an answer over the cap) or by the receiver
            }
        }
    }

    private static int millisSince(long started) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void destroy() throws IOException {
        client.close();
    }

    /** One attempt's outcome: the status (null when none came), its duration, the error, the answer's head. */
    public record Outcome(Integer status, int durationMs, String error, String responseHead) {

        public boolean succeeded() {
            return status != null && status >= 200 && status < 300;
        }
    }
}
