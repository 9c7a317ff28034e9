package ai.calling.call;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import ai.calling.call.internal.CallTranscriptQueries;

/** What the lead analysis reads of calls and transcripts, and the analysis status it writes back. */
@Service
public class CallTranscripts {

    private final CallTranscriptQueries queries;

    CallTranscripts(CallTranscriptQueries queries) {
        this.queries = queries;
    }

    public Optional<CallTranscript> forCall(UUID callId) {
        return queries.forCall(callId);
    }

    /** Every transcribed call of this user with this number, oldest first. */
    public List<CallTranscript> history(UUID userId, String phoneNumber) {
        return queries.history(userId, phoneNumber);
    }

    public void markAnalysis(UUID callId, String status) {
        markAnalysis(List.of(callId), status);
    }

    /** As {@link #markAnalysis(UUID, String)} for each of these calls, in one statement. */
    public void markAnalysis(Collection<UUID> callIds, String status) {
        if (!callIds.isEmpty()) {
            queries.markAnalysis(callIds, status);
        }
    }

    public record CallTranscript(UUID callId, UUID userId, String phoneNumber, String leadType, Instant startedAt,
            int durationSeconds, String transcript) {
    }
}
