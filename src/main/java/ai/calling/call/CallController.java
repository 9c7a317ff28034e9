package ai.calling.call;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.call.CallDtos.CallFilter;
import ai.calling.call.CallDtos.CallView;
import ai.calling.call.CallDtos.StartCallRequest;
import ai.calling.call.CallDtos.TranscriptView;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;

@RestController
@RequestMapping("/api/calls")
class CallController {

    private final CallService calls;
    private final CallRecordings recordings;

    CallController(CallService calls, CallRecordings recordings) {
        this.calls = calls;
        this.recordings = recordings;
    }

    /** 201 when Bolna placed the call; 202 with {@code dialStatus: unconfirmed} when its answer was lost. */
    @Operation(summary = "Place an outbound call", description = """
            Holds ceil(maxCallDurationSeconds / 60) x credits_per_minute credits, records the dial, then asks \
            Bolna to call. Send an Idempotency-Key: a repeat with the same key answers the same call and never \
            dials again.""", responses = {
            @ApiResponse(responseCode = "201", description = "Bolna placed the call (dialStatus: confirmed)"),
            @ApiResponse(responseCode = "202", description = "Bolna's answer was lost (dialStatus: unconfirmed); the "
                    + "first webhook or reconciliation settles it"),
            @ApiResponse(responseCode = "402", description = "Not enough available credits for the hold"),
            @ApiResponse(responseCode = "409", description = "The agent is inactive, or the number is on the do-not-call list"),
            @ApiResponse(responseCode = "429", description = "Too many calls in progress for this account") })
    @PostMapping
    ResponseEntity<CallView> start(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody StartCallRequest body,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        CallService.Started started = calls.start(user.id(), body, idempotencyKey);
        return ResponseEntity.status(started.status()).body(started.call());
    }

    @Operation(summary = "List your calls")
    @GetMapping
    PageResponse<CallView> list(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) String status,
            @RequestParam(required = false) String lifecycle, @RequestParam(required = false) UUID agentId,
            @RequestParam(required = false) String leadType, @RequestParam(required = false) String callSource,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String phone, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return calls.list(user.id(), new CallFilter(status, lifecycle, agentId, leadType, callSource, from, to, phone),
                PageParams.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt").and(Sort.by("id"))));
    }

    @Operation(summary = "Read a call")
    @GetMapping("/{id}")
    CallView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return calls.get(user.id(), id);
    }

    @Operation(summary = "A call's transcript")
    @GetMapping("/{id}/transcript")
    TranscriptView transcript(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return calls.transcript(user.id(), id);
    }

    @Operation(summary = "Play a call's recording", description = """
            Streams the audio through this server (never a redirect to the provider), in the provider's content \
            type. Honours a single Range (206 with Content-Range; Accept-Ranges: bytes).""", responses = {
            @ApiResponse(responseCode = "200", description = "The whole recording", content = @Content(
                    mediaType = "audio/mpeg", schema = @Schema(type = "string", format = "binary"))),
            @ApiResponse(responseCode = "206", description = "The range asked for", content = @Content(
                    mediaType = "audio/mpeg", schema = @Schema(type = "string", format = "binary"))),
            @ApiResponse(responseCode = "404", description = "No such call of yours, or it has no recording"),
            @ApiResponse(responseCode = "416", description = "The range lies outside the recording"),
            @ApiResponse(responseCode = "502", description = "The provider failed to serve the recording") })
    @GetMapping("/{id}/recording")
    void recording(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Parameter(description = "One byte range, e.g. bytes=0-1023") @RequestHeader(value = "Range",
                    required = false) String range, HttpServletResponse response) throws IOException {
        recordings.stream(user.id(), id, range, response);
    }

    @Operation(summary = "Stop a call in progress")
    @PostMapping("/{id}/stop")
    @ResponseStatus(HttpStatus.ACCEPTED)
    CallView stop(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return calls.stop(user.id(), id);
    }
}
