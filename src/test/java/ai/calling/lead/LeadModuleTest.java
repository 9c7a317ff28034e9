package ai.calling.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionOperations;

import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.support.ModuleTestProperties;
import ai.calling.support.TestDatabaseInitializer;

/**
 * The lead module with what it depends on: a call ending with a transcript queues exactly one
 * analysis job in the call's own transaction; one ending without a transcript queues none.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@TestPropertySource(properties = { ModuleTestProperties.JWT, ModuleTestProperties.NO_PREFLIGHT,
        ModuleTestProperties.NO_COMPOSE, ModuleTestProperties.NO_JOBS, ModuleTestProperties.NO_DISPATCH,
        ModuleTestProperties.SMALL_POOL, ModuleTestProperties.SHRINKING_POOL, ModuleTestProperties.ONE_IDLE })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class LeadModuleTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCallEndingWithATranscriptQueuesOneAnalysisAndOneWithoutQueuesNone(Scenario scenario) {
        UUID user = UUID.randomUUID();
        jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, 'Module')", user, user + "@module.test");
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Agent')", agent, user,
                "bolna-" + agent);
        UUID talked = call(user, agent);
        UUID silent = call(user, agent);
        UUID transcript = UUID.randomUUID();

        scenario.stimulate((TransactionOperations transactions, ApplicationEventPublisher publisher) -> transactions
                .executeWithoutResult(status -> {
            publisher.publishEvent(new CallsCompleted(List.of(
                    new CallCompleted(silent, user, agent, "completed", "completed", null, null, null))));
            publisher.publishEvent(new CallsCompleted(List.of(
                    new CallCompleted(talked, user, agent, "completed", "completed", transcript, null, null))));
            // a replay of the same end (a webhook delivered twice) adds nothing
            publisher.publishEvent(new CallsCompleted(List.of(
                    new CallCompleted(talked, user, agent, "completed", "completed", transcript, null, null))));
        })).andWaitForStateChange(() -> jobs(talked), jobs -> jobs > 0)
                .andVerify(jobs -> {
                    assertThat(jobs).isOne();
                    assertThat(jobs(silent)).isZero();
                });
    }

    private UUID call(UUID user, UUID agent) {
        UUID call = UUID.randomUUID();
        jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status) "
                + "VALUES (?, ?, ?, ?, '+14155550191', 'completed')", call, user, agent, "exec-" + call);
        return call;
    }

    private long jobs(UUID call) {
        return jdbc.queryForObject("SELECT count(*) FROM lead_analysis_jobs WHERE call_id = ?", Long.class, call);
    }
}
