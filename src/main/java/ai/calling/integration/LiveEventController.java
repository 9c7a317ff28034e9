package ai.calling.integration;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import ai.calling.auth.Credentials.Credential;
import ai.calling.common.CurrentUser;
import ai.calling.integration.internal.LiveEventHub;

/** The caller's events as Server-Sent Events, across instances, resumable with Last-Event-ID. */
@RestController
class LiveEventController {

    private final LiveEventHub hub;

    LiveEventController(LiveEventHub hub) {
        this.hub = hub;
    }

    @Operation(summary = "Live events (Server-Sent Events): id is the event id, event its type, data the body a webhook"
            + " gets; a heartbeat comment every 15 s")
    @ApiResponse(responseCode = "200", description = "The stream: lines of id, event and data, and comments",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string",
                    example = "id: 0b7c9a8e-6d1f-4c8e-9a57-3f1e2d4c5b6a\nevent: call.completed\ndata: {\"type\":\"call.completed\",...}\n\n")))
    @ApiResponse(responseCode = "429", description = "Too many open streams for this account")
    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@AuthenticationPrincipal CurrentUser user,
            @Parameter(description = "the id of the last event received: the stream resumes after it (up to an hour back)")
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return hub.open(Credential.of(user), parse(lastEventId));
    }

    private static UUID parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(lastEventId.trim());
        } catch (IllegalArgumentException unknown) {
            // not one of ours: nothing to resume from, the stream starts now
            return null;
        }
    }
}
