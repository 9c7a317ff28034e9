package ai.calling.call;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
import ai.calling.common.AllowedValues;
import ai.calling.common.CurrentUser;
import ai.calling.common.SpreadsheetCsv;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;

@RestController
@RequestMapping("/api/calls")
class CallController {

    static final Set<String> TRANSCRIPT_FORMATS = Set.of("json", "txt");

    private final CallService calls;
    private final CallRecordings recordings;
    private final CallExportService exports;

    CallController(CallService calls, CallRecordings recordings, CallExportService exports) {
        this.calls = calls;
        this.recordings = recordings;
        this.exports = exports;
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
        CallService.Started started = calls.start(user.id(), user.memberId(), body, idempotencyKey);
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

    @Operation(summary = "A call's transcript", description = """
            format=json (the default) answers the transcript with its speaker turns; format=txt answers it as a \
            text download, one turn per paragraph. Giving format makes the answer a download \
            (Content-Disposition: attachment).""", responses = @ApiResponse(responseCode = "200",
            description = "The transcript", content = {
                    @Content(mediaType = "application/json", schema = @Schema(implementation = TranscriptView.class)),
                    @Content(mediaType = "text/plain", schema = @Schema(type = "string")) }))
    @GetMapping("/{id}/transcript")
    ResponseEntity<Object> transcript(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Parameter(description = "json or txt") @RequestParam(required = false) String format) {
        String checked = AllowedValues.check("format", format, TRANSCRIPT_FORMATS);
        TranscriptView transcript = calls.transcript(user.id(), id);
        if ("txt".equals(checked)) {
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"transcript-" + id + ".txt\"")
                    .body(CallExportService.asText(id, transcript));
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (checked != null) {
            answer.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"transcript-" + id + ".json\"");
        }
        return answer.body(transcript);
    }

    /** Streamed: rows go from a database cursor to the response, never all in memory. */
    @Operation(summary = "Export your calls as CSV", description = """
            The calls GET /api/calls would list with the same filters, all of them (no paging), newest first, \
            with outcome, duration, credits and the lead score and tag. Spreadsheet-safe: a cell that could \
            start a formula is written with a leading '.""", responses = @ApiResponse(responseCode = "200",
            description = "The CSV", content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    @GetMapping(value = "/export", produces = "text/csv")
    void export(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) String status,
            @RequestParam(required = false) String lifecycle, @RequestParam(required = false) UUID agentId,
            @RequestParam(required = false) String leadType, @RequestParam(required = false) String callSource,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String phone, HttpServletResponse response) throws IOException {
        CallFilter filter = new CallFilter(status, lifecycle, agentId, leadType, callSource, from, to, phone);
        SpreadsheetCsv csv = SpreadsheetCsv.download(response, "calls.csv", "id", "created_at", "agent_id",
                "campaign_id", "phone_number", "caller_name", "lead_type", "call_source", "status", "lifecycle_status",
                "outcome", "duration_seconds", "billed_minutes", "credits_used", "lead_score", "lead_tag", "hangup_by",
                "hangup_reason", "completed_at");
        exports.forEachCall(user.id(), filter, c -> csv.row(c.id(), c.createdAt(), c.agentId(), c.campaignId(),
                c.phoneNumber(), c.callerName(), c.leadType(), c.callSource(), c.status(), c.lifecycleStatus(),
                c.outcome(), c.durationSeconds(), c.billedMinutes(), c.creditsUsed(), c.leadScore(), c.leadTag(),
                c.hangupBy(), c.hangupReason(), c.completedAt()));
        csv.flush();
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
