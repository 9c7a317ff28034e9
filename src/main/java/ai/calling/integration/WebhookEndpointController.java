package ai.calling.integration;

import java.util.UUID;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.integration.WebhookDtos.CreateEndpointRequest;
import ai.calling.integration.WebhookDtos.CreatedEndpoint;
import ai.calling.integration.WebhookDtos.DeliveryView;
import ai.calling.integration.WebhookDtos.EndpointView;
import ai.calling.integration.WebhookDtos.QueuedDelivery;
import ai.calling.integration.WebhookDtos.RotatedSecret;
import ai.calling.integration.WebhookDtos.UpdateEndpointRequest;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

/** Outbound webhooks: the caller's endpoints, their delivery logs, test events, redelivery and secret rotation. */
@RestController
@RequestMapping("/api/webhook-endpoints")
@RequiresTeamRole(TeamRole.ADMIN)
class WebhookEndpointController {

    private final WebhookEndpoints endpoints;

    WebhookEndpointController(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Operation(summary = "Register a webhook endpoint (its signing secret is shown only in this answer)")
    @ApiResponse(responseCode = "409", description = "The account already has the most endpoints allowed")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedEndpoint create(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody CreateEndpointRequest body) {
        return endpoints.create(user.id(), body);
    }

    @Operation(summary = "List your webhook endpoints")
    @GetMapping
    PageResponse<EndpointView> list(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return endpoints.list(user.id(), PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Read a webhook endpoint")
    @GetMapping("/{id}")
    EndpointView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return endpoints.get(user.id(), id);
    }

    @Operation(summary = "Change a webhook endpoint (enabled: true re-enables a disabled one)")
    @PatchMapping("/{id}")
    EndpointView update(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody UpdateEndpointRequest body) {
        return endpoints.update(user.id(), id, body);
    }

    @Operation(summary = "Delete a webhook endpoint and its delivery log")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        endpoints.delete(user.id(), id);
    }

    @Operation(summary = "The endpoint's delivery log: each delivery with its attempts, newest first")
    @GetMapping("/{id}/deliveries")
    PageResponse<DeliveryView> deliveries(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return endpoints.deliveries(user.id(), id, PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Send a test event (webhook.test) to the endpoint")
    @ApiResponse(responseCode = "409", description = "The endpoint is disabled")
    @PostMapping("/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    QueuedDelivery test(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return endpoints.test(user.id(), id);
    }

    @Operation(summary = "Deliver one delivery again, now")
    @ApiResponse(responseCode = "409", description = "An attempt of this delivery is in flight")
    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    QueuedDelivery redeliver(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @PathVariable UUID deliveryId) {
        return endpoints.redeliver(user.id(), id, deliveryId);
    }

    @Operation(summary = "Rotate the signing secret (the old one keeps signing for 24 hours)")
    @PostMapping("/{id}/rotate-secret")
    RotatedSecret rotateSecret(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return endpoints.rotateSecret(user.id(), id);
    }
}
