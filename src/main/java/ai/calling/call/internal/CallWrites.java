package ai.calling.call.internal;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the lifecycle columns of a batch's calls in one statement: an {@code UPDATE ... FROM unnest(...)}
 * with one array per column, instead of one UPDATE per call through Hibernate's flush (its dirty checking,
 * value binding and JSON writing were a quarter of the webhook processor's CPU, and each call's update a
 * statement of its own on the server). The analytics triggers still run once per call row that ends.
 */
@Repository
public class CallWrites {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CallWrites(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Writes each call's {@link Call.LifecycleColumns} (the rows are updated in the order of their ids). */
    public void writeLifecycle(List<Call> calls) {
        if (calls.isEmpty()) {
            return;
        }
        List<Call> rows = calls.stream().sorted(Comparator.comparing(Call::getId)).toList();
        write(rows.stream().map(Call::getId).toList(), rows.stream().map(Call::lifecycleColumns).toList());
    }

    /** Writes {@code values.get(i)} to the call {@code ids.get(i)}. */
    void write(List<UUID> ids, List<Call.LifecycleColumns> values) {
        // planned for the arrays at hand: a generic plan made while calls looked empty joins by scanning
        // the whole table (the dial confirmation's lesson, DialConfirmPlanTest)
        jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
        jdbc.sql("""
                UPDATE calls c
                   SET contact_id = v.contact_id, bolna_execution_id = v.bolna_execution_id,
                       dial_status = v.dial_status, call_lifecycle_status = v.call_lifecycle_status,
                       ringing_started_at = v.ringing_started_at, call_answered_at = v.call_answered_at,
                       call_disconnected_at = v.call_disconnected_at, hangup_by = v.hangup_by,
                       hangup_reason = v.hangup_reason, hangup_provider_code = v.hangup_provider_code,
                       recording_url = v.recording_url, bolna_metadata = v.bolna_metadata, status = v.status,
                       completed_at = v.completed_at, duration_seconds = v.duration_seconds,
                       duration_minutes = v.duration_minutes, credits_used = v.credits_used,
                       transcript_id = v.transcript_id
                  FROM unnest(:ids, :contactIds::uuid[], :executionIds::text[], :dialStatuses::text[],
                              :lifecycleStatuses::text[], :ringingAt::timestamptz[], :answeredAt::timestamptz[],
                              :disconnectedAt::timestamptz[], :hangupBy::text[], :hangupReasons::text[],
                              :hangupCodes::int[], :recordingUrls::text[], :metadata::jsonb[], :statuses::text[],
                              :completedAt::timestamptz[], :seconds::int[], :minutes::int[], :credits::int[],
                              :transcriptIds::uuid[])
                    AS v(id, contact_id, bolna_execution_id, dial_status, call_lifecycle_status, ringing_started_at,
                         call_answered_at, call_disconnected_at, hangup_by, hangup_reason, hangup_provider_code,
                         recording_url, bolna_metadata, status, completed_at, duration_seconds, duration_minutes,
                         credits_used, transcript_id)
                 WHERE c.id = v.id""")
                .param("ids", ids.toArray(UUID[]::new))
                .param("contactIds", texts(values, Call.LifecycleColumns::contactId))
                .param("executionIds", texts(values, Call.LifecycleColumns::bolnaExecutionId))
                .param("dialStatuses", texts(values, Call.LifecycleColumns::dialStatus))
                .param("lifecycleStatuses", texts(values, Call.LifecycleColumns::callLifecycleStatus))
                .param("ringingAt", texts(values, Call.LifecycleColumns::ringingStartedAt))
                .param("answeredAt", texts(values, Call.LifecycleColumns::callAnsweredAt))
                .param("disconnectedAt", texts(values, Call.LifecycleColumns::callDisconnectedAt))
                .param("hangupBy", texts(values, Call.LifecycleColumns::hangupBy))
                .param("hangupReasons", texts(values, Call.LifecycleColumns::hangupReason))
                .param("hangupCodes", values.stream().map(Call.LifecycleColumns::hangupProviderCode).toArray(Integer[]::new))
                .param("recordingUrls", texts(values, Call.LifecycleColumns::recordingUrl))
                .param("metadata", values.stream().map(value -> json.writeValueAsString(value.bolnaMetadata()))
                        .toArray(String[]::new))
                .param("statuses", texts(values, Call.LifecycleColumns::status))
                .param("completedAt", texts(values, Call.LifecycleColumns::completedAt))
                .param("seconds", values.stream().map(Call.LifecycleColumns::durationSeconds).toArray(Integer[]::new))
                .param("minutes", values.stream().map(Call.LifecycleColumns::durationMinutes).toArray(Integer[]::new))
                .param("credits", values.stream().map(Call.LifecycleColumns::creditsUsed).toArray(Integer[]::new))
                .param("transcriptIds", texts(values, Call.LifecycleColumns::transcriptId))
                .update();
    }

    /** One column as text (uuids, timestamps in ISO-8601, nulls kept), cast to the column's type by the statement. */
    private static String[] texts(List<Call.LifecycleColumns> values, Function<Call.LifecycleColumns, ?> column) {
        return values.stream().map(column).map(item -> item == null ? null : item.toString()).toArray(String[]::new);
    }
}
