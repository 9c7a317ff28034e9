package ai.calling.call.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes what a batch of Bolna events moved on its calls ({@link Call#progress}) in one statement. Hibernate
 * wrote each call with an UPDATE of its own, every column bound: the processor's most expensive statement
 * (0.43 ms a row, two rows a dial, a sixth of PostgreSQL's statement time in the dispatch benchmark) and the
 * flush a fifth of applying a batch. One UPDATE from arrays writes the same columns for all of them.
 */
@Repository
public class CallProgressWriter {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CallProgressWriter(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Writes the lifecycle columns of these calls as they are in memory. The calls' rows exist (else it throws);
     * their contacts and transcripts too.
     */
    public void write(List<Call> calls) {
        if (calls.isEmpty()) {
            return;
        }
        List<Call.Progress> rows = calls.stream().map(Call::progress).toList();
        // planned without sequential scans, for this statement only: a plan PostgreSQL cached on the connection while
        // calls was small joins the arrays to a scan of the whole table, and keeps it as the table grows wherever
        // nothing analyses calls (autovacuum off, as on the CI's server); as for CallDials.confirm
        // (CallProgressPlanTest)
        String seqScan = jdbc.sql("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
                .query((rs, n) -> rs.getString(1)).single();
        int written = jdbc.sql("""
                UPDATE calls c
                   SET contact_id = v.contact_id, bolna_execution_id = v.bolna_execution_id, dial_status = v.dial_status,
                       call_lifecycle_status = v.call_lifecycle_status, ringing_started_at = v.ringing_started_at,
                       call_answered_at = v.call_answered_at, call_disconnected_at = v.call_disconnected_at,
                       hangup_by = v.hangup_by, hangup_reason = v.hangup_reason,
                       hangup_provider_code = v.hangup_provider_code, recording_url = v.recording_url,
                       bolna_metadata = v.bolna_metadata, status = v.status, completed_at = v.completed_at,
                       duration_seconds = v.duration_seconds, duration_minutes = v.duration_minutes,
                       credits_used = v.credits_used, transcript_id = v.transcript_id
                  FROM unnest(:ids, :contacts, :executions, :dialStatuses, :lifecycles,
                              CAST(:ringing AS timestamptz[]), CAST(:answered AS timestamptz[]),
                              CAST(:disconnected AS timestamptz[]), :hangupBy, :hangupReasons, :hangupCodes,
                              :recordings, CAST(:metadata AS jsonb[]), :statuses, CAST(:completed AS timestamptz[]),
                              :seconds, :minutes, :credits, :transcripts)
                       AS v(id, contact_id, bolna_execution_id, dial_status, call_lifecycle_status, ringing_started_at,
                            call_answered_at, call_disconnected_at, hangup_by, hangup_reason, hangup_provider_code,
                            recording_url, bolna_metadata, status, completed_at, duration_seconds, duration_minutes,
                            credits_used, transcript_id)
                 WHERE c.id = v.id""")
                .param("ids", calls.stream().map(Call::getId).toArray(UUID[]::new))
                .param("contacts", column(rows, Call.Progress::contactId, UUID[]::new))
                .param("executions", column(rows, Call.Progress::bolnaExecutionId, String[]::new))
                .param("dialStatuses", column(rows, Call.Progress::dialStatus, String[]::new))
                .param("lifecycles", column(rows, Call.Progress::callLifecycleStatus, String[]::new))
                .param("ringing", column(rows, row -> text(row.ringingStartedAt()), String[]::new))
                .param("answered", column(rows, row -> text(row.callAnsweredAt()), String[]::new))
                .param("disconnected", column(rows, row -> text(row.callDisconnectedAt()), String[]::new))
                .param("hangupBy", column(rows, Call.Progress::hangupBy, String[]::new))
                .param("hangupReasons", column(rows, Call.Progress::hangupReason, String[]::new))
                .param("hangupCodes", column(rows, Call.Progress::hangupProviderCode, Integer[]::new))
                .param("recordings", column(rows, Call.Progress::recordingUrl, String[]::new))
                .param("metadata", column(rows, row -> json.writeValueAsString(row.bolnaMetadata()), String[]::new))
                .param("statuses", column(rows, Call.Progress::status, String[]::new))
                .param("completed", column(rows, row -> text(row.completedAt()), String[]::new))
                .param("seconds", column(rows, Call.Progress::durationSeconds, Integer[]::new))
                .param("minutes", column(rows, Call.Progress::durationMinutes, Integer[]::new))
                .param("credits", column(rows, Call.Progress::creditsUsed, Integer[]::new))
                .param("transcripts", column(rows, Call.Progress::transcriptId, UUID[]::new))
                .update();
        jdbc.sql("SELECT set_config('enable_seqscan', :previous, true)").param("previous", seqScan).query().singleRow();
        if (written != calls.size()) {
            // as Hibernate's stale-state check did: a call gone meanwhile fails the batch (its events are then applied
            // one by one), rather than its end being settled and published without its row
            throw new IllegalStateException("Wrote " + written + " of the batch's " + calls.size() + " calls");
        }
    }

    private static <T> T[] column(List<Call.Progress> rows, Function<Call.Progress, T> value,
            IntFunction<T[]> array) {
        return rows.stream().map(value).toArray(array);
    }

    /** An instant as PostgreSQL reads a timestamptz (ISO 8601, UTC); null stays null. */
    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
