package ai.calling.call.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.IntegrationTest;

/**
 * A webhook batch's calls come back in account order, whatever order their execution ids sort in: the
 * batch is flushed in that order and each call's end takes its account's analytics lock, so two
 * processors take the accounts' locks in one order (decision 0054).
 */
@IntegrationTest
class CallRepositoryOrderTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CallRepository calls;

    @Test
    void aBatchsCallsAreLoadedInAccountOrder() {
        List<UUID> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(UUID.randomUUID());
        }
        // PostgreSQL orders uuids by their bytes, as their text sorts (Java's compareTo is signed)
        accounts.sort(Comparator.comparing(UUID::toString));
        String run = "order-" + System.nanoTime() + "-";
        List<String> executions = new ArrayList<>();
        // written last account first, with execution ids that sort the same way: neither the table's order nor
        // the execution ids' index gives the accounts' order
        for (int i = accounts.size() - 1; i >= 0; i--) {
            UUID account = accounts.get(i);
            UUID agent = UUID.randomUUID();
            jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, 'Order')", account, account + "@order.test");
            jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Order')", agent, account,
                    "bolna-" + agent);
            String execution = run + (char) ('z' - i);
            jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number) VALUES (?, ?, ?, '+14155550170')",
                    account, agent, execution);
            executions.add(execution);
        }

        List<UUID> loaded = calls.findByBolnaExecutionIds(executions.toArray(String[]::new)).stream()
                .map(Call::getUserId).toList();

        assertThat(loaded).containsExactlyElementsOf(accounts);
    }
}
