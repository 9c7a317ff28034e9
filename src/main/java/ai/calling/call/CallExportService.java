package ai.calling.call;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.call.CallDtos.CallFilter;
import ai.calling.call.CallDtos.Segment;
import ai.calling.call.CallDtos.TranscriptView;
import ai.calling.call.internal.CallExports;

/** Calls and transcripts in the shapes people download: CSV of calls, a transcript as text. */
@Service
public class CallExportService {

    private final CallExports exports;
    private final TransactionTemplate readOnly;

    CallExportService(CallExports exports, TransactionTemplate transactions) {
        this.exports = exports;
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager(), transactions);
        this.readOnly.setReadOnly(true);
    }

    /** Every call of the user matching the filter, streamed to {@code sink} in one read-only transaction. */
    public void forEachCall(UUID userId, CallFilter filter, Consumer<CallExports.Row> sink) {
        readOnly.executeWithoutResult(tx -> exports.forEach(userId, filter, sink));
    }

    /**
     * A transcript as plain text, one speaker turn per paragraph ("Agent: ...", "Caller: ..."); the
     * stored text as it is when Bolna gave no turns.
     */
    public static String asText(UUID callId, TranscriptView transcript) {
        StringBuilder text = new StringBuilder("Transcript of call ").append(callId).append("\n\n");
        if (transcript.speakerSegments().isEmpty()) {
            return text.append(transcript.content().strip()).append('\n').toString();
        }
        for (Segment turn : transcript.speakerSegments()) {
            text.append(speaker(turn.speaker())).append(": ").append(turn.text() == null ? "" : turn.text().strip())
                    .append("\n\n");
        }
        return text.toString().stripTrailing() + "\n";
    }

    static String speaker(String speaker) {
        String s = speaker == null ? "" : speaker.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "assistant", "agent", "bot", "ai" -> "Agent";
            case "user", "customer", "caller", "human" -> "Caller";
            case "" -> "Unknown";
            default -> Character.toUpperCase(s.charAt(0)) + s.substring(1);
        };
    }
}
