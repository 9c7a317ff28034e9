package ai.calling.call;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import ai.calling.common.AllowedValues;
import ai.calling.common.BoundedJson;

/** Request and response bodies of {@code /api/calls}. */
public final class CallDtos {

    private CallDtos() {
    }

    /** {@code userData} is passed to Bolna as the call's {@code user_data}: at most 16,384 characters. */
    public record StartCallRequest(@NotNull UUID agentId, @NotBlank @Size(max = 50) String phoneNumber, UUID contactId,
            @Size(max = 255) String name, @BoundedJson(maxChars = 16_384) Map<String, Object> userData) {
    }

    /**
     * A call as clients see it: lifecycle timestamps, hangup data, duration in seconds and billed
     * minutes, credits used, recording, contact and the state of its lead analysis. {@code dialStatus}
     * (calls we dialled only) is {@code confirmed} once Bolna placed the call, {@code unconfirmed} while
     * Bolna's answer is missing; {@code bolnaExecutionId} is null until then. {@code campaignId} names the
     * campaign that placed the call, {@code createdBy} the member who asked for it (null for a
     * campaign's calls and inbound ones).
     */
    public record CallView(UUID id, UUID agentId, UUID contactId, String phoneNumber, String callerName, String status,
            String lifecycleStatus, String leadType, String callSource, String bolnaExecutionId, String dialStatus,
            UUID campaignId, UUID createdBy, int durationSeconds,
            int billedMinutes, int creditsUsed, String recordingUrl, String hangupBy, String hangupReason,
            Integer hangupProviderCode, Instant ringingStartedAt, Instant answeredAt, Instant disconnectedAt,
            Instant completedAt, String analysisStatus, Instant createdAt, Instant updatedAt) {
    }

    public record TranscriptView(UUID callId, String content, List<Segment> speakerSegments, String analysisStatus,
            Instant updatedAt) {
    }

    public record Segment(String speaker, String text) {
    }

    /** A transcript that matched a search; {@code snippet} marks the matched words with {@code **}. */
    public record TranscriptHit(UUID callId, UUID agentId, String phoneNumber, Instant createdAt, String snippet) {
    }

    /** A recorded dial that Bolna has not been heard from about (for reconciliation). */
    public record UnboundDial(UUID callId, UUID userId, UUID agentId, Instant createdAt) {

        /** Its place in a walk through calls in the order they were created. */
        public CallPosition position() {
            return new CallPosition(createdAt, callId);
        }
    }

    /**
     * A call that Bolna placed and has not reported the end of (for reconciliation), with the lifecycle stage
     * it has reached (initiated, ringing, answered, disconnected).
     */
    public record UnfinishedCall(UUID callId, String executionId, Instant createdAt, String lifecycle) {

        /** Its place in a walk through calls in the order they were created. */
        public CallPosition position() {
            return new CallPosition(createdAt, callId);
        }
    }

    /**
     * Where a walk through calls in the order they were created stands (reconciliation's cursor): the
     * calls after this one come next; null: from the oldest.
     */
    public record CallPosition(Instant createdAt, UUID callId) {
    }

    /** Which calls a list covers; an enum-like filter outside its values is a 400. */
    public record CallFilter(String status, String lifecycle, UUID agentId, String leadType, String callSource,
            Instant from, Instant to, String phone) {

        public static final Set<String> STATUSES = Set.of("in_progress", "completed", "failed", "cancelled");
        public static final Set<String> LIFECYCLES = Set.of("initiated", "ringing", "answered", "disconnected");
        public static final Set<String> LEAD_TYPES = Set.of("inbound", "outbound");
        public static final Set<String> CALL_SOURCES = Set.of("phone", "internet", "unknown");

        public CallFilter {
            AllowedValues.check("status", status, STATUSES);
            AllowedValues.check("lifecycle", lifecycle, LIFECYCLES);
            AllowedValues.check("leadType", leadType, LEAD_TYPES);
            AllowedValues.check("callSource", callSource, CALL_SOURCES);
        }
    }
}
