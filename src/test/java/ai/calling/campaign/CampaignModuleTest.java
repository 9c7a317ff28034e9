package ai.calling.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

import ai.calling.billing.CreditsAdded;
import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.support.ModuleTestProperties;
import ai.calling.support.TestDatabaseInitializer;

/**
 * The campaign module started with the modules it depends on (not analytics, lead, admin or the
 * webhook module), and the events of other modules it reacts to, published as their owners do.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@TestPropertySource(properties = { ModuleTestProperties.JWT, ModuleTestProperties.NO_PREFLIGHT,
        ModuleTestProperties.NO_COMPOSE, ModuleTestProperties.NO_JOBS, ModuleTestProperties.NO_DISPATCH,
        ModuleTestProperties.SMALL_POOL, ModuleTestProperties.SHRINKING_POOL, ModuleTestProperties.ONE_IDLE })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class CampaignModuleTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCampaignCallEndingSettlesItsRecipient(Scenario scenario) {
        Seeded seeded = seed("running", null);
        UUID call = UUID.randomUUID();
        jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status, campaign_id, "
                + "campaign_recipient_id) VALUES (?, ?, ?, ?, '+14155550190', 'completed', ?, ?)", call, seeded.user,
                seeded.agent, "exec-" + call, seeded.campaign, seeded.recipient);
        jdbc.update("UPDATE campaign_recipients SET status = 'in_progress', attempts = 1, last_call_id = ? WHERE id = ?",
                call, seeded.recipient);

        scenario.publish(ended(new CallCompleted(call, seeded.user, seeded.agent, "completed", "busy", null,
                seeded.campaign, seeded.recipient)))
                .andWaitForStateChange(() -> jdbc.queryForObject(
                        "SELECT status || '/' || last_outcome FROM campaign_recipients WHERE id = ?", String.class,
                        seeded.recipient), state -> !state.startsWith("in_progress"))
                .andVerify(state -> assertThat(state).isEqualTo("busy/busy"));
    }

    @Test
    void aDialBolnaNeverPlacedIsNoAttemptOnceInARow(Scenario scenario) {
        Seeded seeded = seed("running", null);
        UUID lost = dialled(seeded, 1);

        scenario.publish(ended(new CallCompleted(lost, seeded.user, seeded.agent, "failed", "failed", null,
                seeded.campaign, seeded.recipient, false)))
                .andWaitForStateChange(() -> recipient(seeded), state -> !state.startsWith("in_progress"))
                .andVerify(state -> assertThat(state).as("due again, the attempt not counted").isEqualTo("pending/0/not_placed"));

        // dialled again and that dial is lost too: now it is a failed attempt (no retries in this campaign)
        UUID lostAgain = dialled(seeded, 1);
        scenario.publish(ended(new CallCompleted(lostAgain, seeded.user, seeded.agent, "failed", "failed", null,
                seeded.campaign, seeded.recipient, false)))
                .andWaitForStateChange(() -> recipient(seeded), state -> !state.startsWith("in_progress"))
                .andVerify(state -> assertThat(state).isEqualTo("failed/1/failed"));
    }

    /** A failed call of the recipient's, which is in progress with it as its attempt number {@code attempts}. */
    private UUID dialled(Seeded seeded, int attempts) {
        UUID call = UUID.randomUUID();
        jdbc.update("INSERT INTO calls (id, user_id, agent_id, phone_number, status, dial_status, campaign_id, "
                + "campaign_recipient_id) VALUES (?, ?, ?, '+14155550190', 'failed', 'unconfirmed', ?, ?)", call,
                seeded.user, seeded.agent, seeded.campaign, seeded.recipient);
        jdbc.update("UPDATE campaign_recipients SET status = 'in_progress', attempts = ?, last_call_id = ? WHERE id = ?",
                attempts, call, seeded.recipient);
        return call;
    }

    private String recipient(Seeded seeded) {
        return jdbc.queryForObject("SELECT status || '/' || attempts || '/' || last_outcome FROM campaign_recipients "
                + "WHERE id = ?", String.class, seeded.recipient);
    }

    @Test
    void creditsAddedResumeOnlyTheCampaignsPausedForCredits(Scenario scenario) {
        Seeded forCredits = seed("paused", "insufficient_credits");
        UUID byTheUser = seedCampaign(forCredits.user, forCredits.agent, "paused", "user");

        scenario.publish(new CreditsAdded(forCredits.user, 500))
                .andWaitForStateChange(() -> status(forCredits.campaign), "running"::equals)
                .andVerify(status -> assertThat(status(byTheUser)).as("a pause the user chose stays").isEqualTo("paused"));
    }

    private String status(UUID campaign) {
        return jdbc.queryForObject("SELECT status FROM campaigns WHERE id = ?", String.class, campaign);
    }

    private record Seeded(UUID user, UUID agent, UUID campaign, UUID recipient) {
    }

    /** A call's end as the call module publishes it: in a batch (here of one). */
    private static CallsCompleted ended(CallCompleted call) {
        return new CallsCompleted(List.of(call));
    }

    private Seeded seed(String status, String pauseReason) {
        UUID user = UUID.randomUUID();
        jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, 'Module')", user, user + "@module.test");
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Agent')", agent, user,
                "bolna-" + agent);
        UUID campaign = seedCampaign(user, agent, status, pauseReason);
        UUID recipient = UUID.randomUUID();
        jdbc.update("INSERT INTO campaign_recipients (id, campaign_id, user_id, phone_number) VALUES (?, ?, ?, "
                + "'+14155550190')", recipient, campaign, user);
        return new Seeded(user, agent, campaign, recipient);
    }

    private UUID seedCampaign(UUID user, UUID agent, String status, String pauseReason) {
        UUID campaign = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO campaigns (id, user_id, agent_id, name, status, pause_reason, timezone, window_start,
                                       window_end, window_days, max_concurrent_calls, retry_max_attempts, retry_on,
                                       retry_delay_minutes)
                VALUES (?, ?, ?, 'Module', ?, ?, 'America/New_York', '08:00', '20:00', '{1,2,3,4,5}', 1, 1, '{}', 60)""",
                campaign, user, agent, status, pauseReason);
        return campaign;
    }
}
