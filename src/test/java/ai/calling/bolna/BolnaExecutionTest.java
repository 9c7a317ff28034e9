package ai.calling.bolna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bolna's execution objects and statuses, read once into plain values. No Spring, no database. */
@Tag("unit")
class BolnaExecutionTest {

    @Test
    void aCompletedExecutionIsReadWithItsTelephonyRecipientAndDetails() {
        UUID attempt = UUID.randomUUID();
        BolnaExecution execution = BolnaExecution.parse("""
                {"id":"exec-1","agent_id":"bolna-a","status":"completed","created_at":"2026-11-25T10:00:00Z",
                 "updated_at":"2026-11-25T10:02:00.000+00:00","conversation_duration":61.4,"answered_by_voice_mail":false,
                 "transcript":"assistant: hi","total_cost":1.2,"unknown_key":{"x":1},
                 "context_details":{"recipient_phone_number":"+14155550111",
                   "recipient_data":{"name":"Asha","call_attempt_id":"%s"}},
                 "telephony_data":{"duration":"62","to_number":"+14155550111","from_number":"+14155550999",
                   "recording_url":"https://rec/1.mp3","call_type":"outbound","provider":"twilio","hangup_by":"Callee",
                   "hangup_reason":"normal","hangup_provider_code":"4000"}}""".formatted(attempt));

        assertThat(execution.id()).isEqualTo("exec-1");
        assertThat(execution.agentId()).isEqualTo("bolna-a");
        assertThat(execution.status()).isEqualTo(BolnaStatus.COMPLETED);
        assertThat(execution.at()).isEqualTo(Instant.parse("2026-11-25T10:02:00Z"));
        assertThat(execution.durationSeconds()).isEqualTo(62);
        assertThat(execution.inbound()).isFalse();
        assertThat(execution.customerNumber()).isEqualTo("+14155550111");
        assertThat(execution.recipient()).isEqualTo(new BolnaExecution.Recipient("+14155550111", "Asha", attempt));
        assertThat(execution.telephony().hangupProviderCode()).isEqualTo(4000);
        assertThat(execution.details()).containsKeys("total_cost", "telephony_provider", "last_status")
                .doesNotContainKey("unknown_key");
    }

    @Test
    void nullsUntilTerminalWrongTypesAndExecutionIdAreTolerated() {
        BolnaExecution queued = BolnaExecution.parse("""
                {"execution_id":"exec-2","status":"queued","conversation_duration":null,"transcript":null,
                 "telephony_data":"not an object","context_details":null,"agent_id":42,"created_at":"not a date"}""");

        assertThat(queued.id()).isEqualTo("exec-2");
        assertThat(queued.agentId()).isEqualTo("42");
        assertThat(queued.durationSeconds()).isZero();
        assertThat(queued.transcript()).isNull();
        assertThat(queued.inbound()).isTrue();
        assertThat(queued.recipient().callAttemptId()).isNull();
        assertThat(queued.at()).isNotNull();
        assertThatThrownBy(() -> BolnaExecution.parse("{\"status\":\"queued\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BolnaExecution.parse("{not json")).isInstanceOf(IllegalArgumentException.class);
    }

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
    void statusesMapOntoTheLifecycleAndOnlyMoveItForward() {
        assertThat(BolnaStatus.of("In-Progress")).isEqualTo(BolnaStatus.IN_PROGRESS);
        assertThat(BolnaStatus.of("no_answer")).isEqualTo(BolnaStatus.NO_ANSWER);
        assertThat(BolnaStatus.of("cancelled")).isEqualTo(BolnaStatus.CANCELED);
        assertThat(BolnaStatus.of("balance-low").callStatus()).isEqualTo("failed");
        assertThat(BolnaStatus.of("stopped").callStatus()).isEqualTo("cancelled");
        assertThat(BolnaStatus.of("call-disconnected").terminal()).isFalse();
        assertThat(BolnaStatus.of("exploded")).isEqualTo(BolnaStatus.UNKNOWN);
        assertThat(BolnaStatus.UNKNOWN.lifecycle()).isNull();
        assertThat(BolnaStatus.RINGING.advances("initiated")).isTrue();
        assertThat(BolnaStatus.RINGING.advances("answered")).isFalse();
        assertThat(BolnaStatus.COMPLETED.lifecycle()).isEqualTo("disconnected");
    }

    @Test
    void aDeliveryIsCleanedOnlyWhenItMustBeAndCarriesItsColumns() {
        String plain = "{\"id\":\"e\",\"agent_id\":\"a\",\"status\":\"ringing\"}";
        assertThat(BolnaDelivery.read(plain)).isEqualTo(new BolnaDelivery(plain, "e", "a", "ringing"));
        BolnaDelivery dirty = BolnaDelivery.read("{\"id\":\"e\\u0000\",\"status\":\"done\\u0000\"}");
        assertThat(dirty.executionId()).isEqualTo("e");
        assertThat(dirty.body()).doesNotContain("\\u0000");
        assertThatThrownBy(() -> BolnaDelivery.read("[1]")).hasMessage("The body is not a JSON object");
        assertThatThrownBy(() -> BolnaDelivery.read("{\"status\":\"x\"}")).hasMessage("The execution has no id");
    }

    private static long seconds(String execution) {
        return BolnaExecution.parse("{\"id\":\"x\"," + execution.substring(1)).durationSeconds();
    }
}
