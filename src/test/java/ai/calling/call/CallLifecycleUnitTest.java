package ai.calling.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Durations, attempt ids and outcomes read from Bolna payloads. No Spring, no database. */
class CallLifecycleUnitTest {

    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Test
    void durationsAreWholeSecondsRoundedUpIn64BitsFromTheFirstUsableSource() {
        assertThat(seconds("{\"telephony_data\":{\"duration\":\"61\"},\"conversation_duration\":5}")).isEqualTo(61);
        assertThat(seconds("{\"telephony_data\":{\"duration\":null},\"conversation_duration\":60.2}")).isEqualTo(61);
        assertThat(seconds("{\"conversation_time\":\" 7.0 \"}")).isEqualTo(7);
        assertThat(seconds("{\"telephony_data\":{\"duration\":1e12}}")).isEqualTo(1_000_000_000_000L);
        assertThat(seconds("{\"telephony_data\":{\"duration\":2147483648}}")).isEqualTo(2_147_483_648L);
        assertThat(seconds("{\"telephony_data\":{\"duration\":1e400}}")).isEqualTo(Long.MAX_VALUE);
        assertThat(seconds("{\"telephony_data\":{\"duration\":0.0001}}")).isEqualTo(1);
        assertThat(seconds("{\"telephony_data\":{\"duration\":1e-999999}}")).isEqualTo(1);
    }

    @Test
    void whatIsNotAFiniteNonNegativeNumberIsNoDuration() {
        assertThat(seconds("{\"telephony_data\":{\"duration\":\"Infinity\"},\"conversation_duration\":\"NaN\"}")).isZero();
        assertThat(seconds("{\"telephony_data\":{\"duration\":-30},\"conversation_duration\":{\"s\":1}}")).isZero();
        assertThat(seconds("{\"telephony_data\":\"weird\",\"conversation_duration\":\"12 seconds\"}")).isZero();
        assertThat(seconds("{\"telephony_data\":{\"duration\":\"Infinity\"},\"conversation_duration\":42}")).isEqualTo(42);
    }

    @Test
    void theAttemptIdIsOurUuidEchoedInRecipientData() {
        UUID attempt = UUID.randomUUID();
        assertThat(CallLifecycle.attemptId(JSON.readTree("{\"context_details\":{\"recipient_data\":{\"call_attempt_id\":\""
                + attempt + "\"}}}"))).contains(attempt);
        assertThat(CallLifecycle.attemptId(JSON.readTree("{\"context_details\":{\"recipient_data\":{\"call_attempt_id\":"
                + "\"not-a-uuid\"}}}"))).isEmpty();
        assertThat(CallLifecycle.attemptId(JSON.readTree("{\"context_details\":null}"))).isEmpty();
    }

    @Test
    void outcomesFollowTheDocumentedTable() {
        assertThat(CallLifecycle.outcome(BolnaStatus.COMPLETED, true, false, true)).isEqualTo("completed");
        assertThat(CallLifecycle.outcome(BolnaStatus.COMPLETED, false, false, false)).isEqualTo("no_answer");
        assertThat(CallLifecycle.outcome(BolnaStatus.BUSY, false, false, false)).isEqualTo("busy");
        assertThat(CallLifecycle.outcome(BolnaStatus.STOPPED, false, false, true)).isEqualTo("disconnected");
        assertThat(CallLifecycle.outcome(BolnaStatus.CANCELED, false, false, false)).isEqualTo("failed");
        assertThat(CallLifecycle.outcome(BolnaStatus.COMPLETED, true, true, true)).isEqualTo("voicemail");
    }

    private static long seconds(String execution) {
        JsonNode node = JSON.readTree(execution);
        return CallLifecycle.durationSeconds(node, node.path("telephony_data"));
    }
}
