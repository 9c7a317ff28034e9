package ai.calling.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.calling.bolna.BolnaStatus;
import ai.calling.call.internal.SpeakerSegment;

/** How a call ends and how its transcript is cut into turns. No Spring, no database. */
@Tag("unit")
class CallLifecycleUnitTest {

    @Test
    void outcomesFollowTheDocumentedTable() {
        assertThat(CallLifecycle.outcome(BolnaStatus.COMPLETED, true, false, true)).isEqualTo("completed");
        assertThat(CallLifecycle.outcome(BolnaStatus.COMPLETED, false, false, false)).isEqualTo("no_answer");
        assertThat(CallLifecycle.outcome(BolnaStatus.NO_ANSWER, false, false, false)).isEqualTo("no_answer");
        assertThat(CallLifecycle.outcome(BolnaStatus.BUSY, false, false, false)).isEqualTo("busy");
        assertThat(CallLifecycle.outcome(BolnaStatus.STOPPED, false, false, true)).isEqualTo("disconnected");
        assertThat(CallLifecycle.outcome(BolnaStatus.CANCELED, false, false, false)).isEqualTo("failed");
        assertThat(CallLifecycle.outcome(BolnaStatus.ERROR, false, false, true)).isEqualTo("failed");
        assertThat(CallLifecycle.outcome(BolnaStatus.COMPLETED, true, true, true)).isEqualTo("voicemail");
    }

    @Test
    void aTranscriptIsCutIntoSpeakerTurnsAndLinesWithoutASpeakerContinueTheTurn() {
        List<SpeakerSegment> turns = CallLifecycle.segments("""
                assistant: Hello, this is Nila.
                user: Hi, tell me the price.
                please

                Agent: It is 40 dollars.""");

        assertThat(turns).containsExactly(new SpeakerSegment("assistant", "Hello, this is Nila."),
                new SpeakerSegment("user", "Hi, tell me the price. please"),
                new SpeakerSegment("assistant", "It is 40 dollars."));
        assertThat(CallLifecycle.segments("no speaker at all")).containsExactly(new SpeakerSegment("unknown",
                "no speaker at all"));
    }
}
