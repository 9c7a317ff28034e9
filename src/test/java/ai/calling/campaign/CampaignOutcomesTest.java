package ai.calling.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A recipient's status from its call's outcome. No Spring. */
@Tag("unit")
class CampaignOutcomesTest {

    @Test
    void voicemailCountsAsNoAnswerAndAnAnsweredStopAsCompleted() {
        assertThat(CampaignCalls.recipientStatus("completed")).isEqualTo("completed");
        assertThat(CampaignCalls.recipientStatus("disconnected")).isEqualTo("completed");
        assertThat(CampaignCalls.recipientStatus("voicemail")).isEqualTo("no_answer");
        assertThat(CampaignCalls.recipientStatus("no_answer")).isEqualTo("no_answer");
        assertThat(CampaignCalls.recipientStatus("busy")).isEqualTo("busy");
        assertThat(CampaignCalls.recipientStatus("failed")).isEqualTo("failed");
    }
}
