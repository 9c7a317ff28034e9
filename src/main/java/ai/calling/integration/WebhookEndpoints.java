package ai.calling.integration;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.config.OutboundWebhookProperties;
import ai.calling.integration.WebhookDtos.CreateEndpointRequest;
import ai.calling.integration.WebhookDtos.CreatedEndpoint;
import ai.calling.integration.WebhookDtos.DeliveryView;
import ai.calling.integration.WebhookDtos.EndpointView;
import ai.calling.integration.WebhookDtos.QueuedDelivery;
import ai.calling.integration.WebhookDtos.RotatedSecret;
import ai.calling.integration.WebhookDtos.UpdateEndpointRequest;
import ai.calling.integration.internal.AddressGuard;
import ai.calling.integration.internal.OutboxStore;
import ai.calling.integration.internal.WebhookEndpointStore;
import ai.calling.integration.internal.WebhookSender;
import ai.calling.integration.internal.WebhookSigner;

/**
 * Customers' webhook endpoints. A URL is checked before anything is written: {@code http} or
 * {@code https}, and its host resolved (outside any transaction) with every address permitted by
 * the SSRF guard, else 400. The delivery worker checks the address again on each connection.
 */
@Service
public class WebhookEndpoints {

    public static final Set<String> EVENT_TYPES = Set.of(OutboundEvents.CALL_COMPLETED, OutboundEvents.CALL_FAILED,
            OutboundEvents.LEAD_ANALYZED, OutboundEvents.CAMPAIGN_COMPLETED, OutboundEvents.CREDITS_LOW);
    static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private final WebhookEndpointStore endpoints;
    private final OutboxStore outbox;
    private final OutboundEvents events;
    private final AddressGuard guard;
    private final OutboundWebhookProperties properties;
    private final TransactionTemplate transactions;

    WebhookEndpoints(WebhookEndpointStore endpoints, OutboxStore outbox, OutboundEvents events, WebhookSender sender,
            OutboundWebhookProperties properties, TransactionTemplate transactions) {
        this.endpoints = endpoints;
        this.outbox = outbox;
        this.events = events;
        this.guard = sender.guard();
        this.properties = properties;
        this.transactions = transactions;
    }

    public CreatedEndpoint create(UUID userId, CreateEndpointRequest request) {
        String url = checkedUrl(request.url());
        List<String> types = checkedEvents(request.events());
        String description = blankToNull(request.description());
        String secret = WebhookSigner.newSecret();
        EndpointView created = transactions.execute(status -> {
            if (endpoints.lockAndCount(userId) >= properties.maxEndpointsPerUser()) {
                throw ApiException.conflict("An account has at most " + properties.maxEndpointsPerUser()
                        + " webhook endpoints");
            }
            return endpoints.insert(userId, url, description, types, secret);
        });
        return new CreatedEndpoint(created.id(), created.url(), created.description(), created.events(),
                created.enabled(), secret, created.createdAt());
    }

    public PageResponse<EndpointView> list(UUID userId, PageRequest page) {
        return transactions.execute(status -> new PageResponse<>(
                endpoints.page(userId, page.getPageSize(), page.getOffset()), page.getPageNumber(), page.getPageSize(),
                endpoints.count(userId)));
    }

    public EndpointView get(UUID userId, UUID id) {
        return endpoints.find(userId, id).orElseThrow(WebhookEndpoints::notFound);
    }

    public EndpointView update(UUID userId, UUID id, UpdateEndpointRequest request) {
        get(userId, id);
        String url = request.url() == null ? null : checkedUrl(request.url());
        List<String> types = request.events() == null ? null : checkedEvents(request.events());
        return transactions.execute(status -> endpoints.update(userId, id, url,
                request.description() == null ? null : request.description().trim(), types, request.enabled()))
                .orElseThrow(WebhookEndpoints::notFound);
    }

    public void delete(UUID userId, UUID id) {
        if (!Boolean.TRUE.equals(transactions.execute(status -> endpoints.delete(userId, id)))) {
            throw notFound();
        }
    }

    public RotatedSecret rotateSecret(UUID userId, UUID id) {
        String secret = WebhookSigner.newSecret();
        Instant until = transactions.execute(status -> endpoints.rotate(userId, id, secret, ROTATION_OVERLAP))
                .orElseThrow(WebhookEndpoints::notFound);
        return new RotatedSecret(secret, until);
    }

    public PageResponse<DeliveryView> deliveries(UUID userId, UUID id, PageRequest page) {
        get(userId, id);
        return transactions.execute(status -> new PageResponse<>(
                outbox.deliveries(userId, id, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), outbox.countDeliveries(userId, id)));
    }

    /** Queues a {@code webhook.test} event to this endpoint alone (whatever it subscribes to). */
    public QueuedDelivery test(UUID userId, UUID id) {
        // checked and queued in one transaction, the endpoint's row locked: a delete in between made the
        // delivery's insert break its foreign key, a 500
        return transactions.execute(status -> {
            EndpointView endpoint = endpoints.findLocked(userId, id).orElseThrow(WebhookEndpoints::notFound);
            if (!endpoint.enabled()) {
                throw ApiException.conflict("The endpoint is disabled; enable it first (PATCH {\"enabled\": true})");
            }
            return events.testEvent(userId, id);
        });
    }

    /** Delivers one delivery again, now. 409 while an attempt of it is in flight. */
    public QueuedDelivery redeliver(UUID userId, UUID endpointId, UUID deliveryId) {
        get(userId, endpointId);
        return transactions.execute(status -> {
            UUID eventId = outbox.redeliver(userId, endpointId, deliveryId).orElseThrow(() -> {
                if (outbox.deliveryExists(userId, endpointId, deliveryId)) {
                    return ApiException.conflict("The delivery is being attempted right now");
                }
                return ApiException.notFound("The delivery");
            });
            events.wakeAfterCommit();
            return new QueuedDelivery(deliveryId, eventId, "pending");
        });
    }

    private String checkedUrl(String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw ApiException.invalidField("url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalidField("url", "must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank() || uri.getRawFragment() != null) {
            throw ApiException.invalidField("url", "must name a host (and carry no fragment)");
        }
        try {
            guard.resolve(uri.getHost());
        } catch (AddressGuard.RefusedAddressException e) {
            throw ApiException.invalidField("url", "resolves to a loopback, private, link-local or reserved address");
        } catch (UnknownHostException e) {
            throw ApiException.invalidField("url", "names a host that does not resolve");
        }
        return uri.toString();
    }

    private static List<String> checkedEvents(List<String> requested) {
        Set<String> types = new LinkedHashSet<>();
        for (String type : requested) {
            String trimmed = type == null ? "" : type.trim();
            if (!EVENT_TYPES.contains(trimmed)) {
                throw ApiException.invalidField("events", "must each be one of " + String.join(", ",
                        EVENT_TYPES.stream().sorted().toList()));
            }
            types.add(trimmed);
        }
        if (types.isEmpty()) {
            throw ApiException.invalidField("events", "must name at least one event type");
        }
        return List.copyOf(types);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static ApiException notFound() {
        return ApiException.notFound("The webhook endpoint");
    }
}
