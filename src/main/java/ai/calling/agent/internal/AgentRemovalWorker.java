package ai.calling.agent.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import ai.calling.auth.AccountClosed;
import ai.calling.bolna.BolnaClient;

/**
 * Deletes the agents of a closed account on Bolna, and the deleted agents whose deletion Bolna did not
 * take at once ({@code AgentService.delete}). In the closing transaction the agents are
 * deactivated and marked (the intent); after the commit this worker's own thread calls Bolna, with
 * no transaction and no pooled connection held, and clears each mark Bolna confirmed (the outcome).
 * What failed stays marked and is tried again every {@link #RETRY_EVERY}; Bolna counts an agent it
 * no longer knows as deleted, so a repeat is harmless (also with several instances).
 */
@Component
public class AgentRemovalWorker implements SmartLifecycle {

    static final Duration RETRY_EVERY = Duration.ofMinutes(5);
    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(AgentRemovalWorker.class);

    private final AgentRemovals removals;
    private final BolnaClient bolna;
    private volatile ScheduledExecutorService worker;

    AgentRemovalWorker(AgentRemovals removals, BolnaClient bolna) {
        this.removals = removals;
        this.bolna = bolna;
    }

    /** In the closing transaction: the intent commits with the closure or not at all. */
    @EventListener
    void accountClosing(AccountClosed closed) {
        int marked = removals.markAllOf(closed.userId());
        log.info("Account {} closed: {} agent(s) to delete on Bolna", closed.userId(), marked);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void accountClosed(AccountClosed closed) {
        ScheduledExecutorService current = worker;
        if (current != null && !current.isShutdown()) {
            current.execute(this::runSafely);
        }
    }

    /** Deletes on Bolna every agent marked for it; returns how many Bolna confirmed. */
    public int removePending() {
        int deleted = 0;
        for (AgentRemovals.Pending agent : removals.pending(BATCH)) {
            if (!removals.stillPending(agent.agentId())) {
                // activated again since the batch was read: its Bolna agent is in use
                continue;
            }
            try {
                bolna.deleteAgent(agent.bolnaAgentId());
                removals.clear(agent.agentId());
                deleted++;
            } catch (RuntimeException e) {
                log.warn("Bolna agent {} could not be deleted yet ({}); tried again later", agent.bolnaAgentId(),
                        e.getMessage());
            }
        }
        return deleted;
    }

    private void runSafely() {
        try {
            removePending();
        } catch (RuntimeException e) {
            log.error("Deleting agents of closed accounts on Bolna failed; tried again later", e);
        }
    }

    @Override
    public void start() {
        worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("agent-removal").factory());
        worker.scheduleWithFixedDelay(this::runSafely, RETRY_EVERY.toMillis(), RETRY_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = worker;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService current = worker;
        return current != null && !current.isShutdown();
    }
}
