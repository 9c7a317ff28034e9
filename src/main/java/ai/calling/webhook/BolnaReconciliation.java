package ai.calling.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import ai.calling.agent.AgentService;
import ai.calling.bolna.BolnaClient;
import ai.calling.bolna.BolnaClient.BolnaNotFound;
import ai.calling.bolna.BolnaExecution;
import ai.calling.bolna.BolnaStatus;
import ai.calling.call.CallDtos.CallPosition;
import ai.calling.call.CallDtos.UnboundDial;
import ai.calling.call.CallDtos.UnfinishedCall;
import ai.calling.call.CallLifecycle;
import ai.calling.call.CallService;
import ai.calling.common.ApiException;
import ai.calling.config.BolnaProperties;

/**
 * Calls Bolna has not told us the end of, {@code reconcile-after} after they started:
 * <ul>
 * <li>a call Bolna placed is fetched from Bolna's API and applied exactly like a delivery (stored as
 * an event with source reconciliation), so it ends in the right state with the right charge; one
 * that Bolna no longer knows is failed, its hold released. A call Bolna reports no further on than we
 * have it is left as it is: storing the same state again wrote an event row per run for every long
 * call;</li>
 * <li>a recorded dial whose answer was lost is looked for among its agent's executions (by the
 * {@code call_attempt_id} it carried): found, it is applied (and so bound); not there, Bolna never
 * placed it, and it is failed without charge, its hold released.</li>
 * </ul>
 * When Bolna cannot be asked (down, timing out), nothing is decided and the next run tries again. Each
 * run takes the next {@value #PAGE} of each, after where the last run stopped (wrapping round at the end).
 */
@Service
public class BolnaReconciliation {

    /** How many pages of an agent's executions (50 each, newest first) are searched for a lost dial. */
    static final int PAGES_SEARCHED = 5;
    /** Calls (and lost dials) looked at per run. */
    static final int PAGE = 100;
    private static final Logger log = LoggerFactory.getLogger(BolnaReconciliation.class);

    private final CallService calls;
    private final CallLifecycle lifecycle;
    private final AgentService agents;
    private final BolnaClient bolna;
    private final BolnaProperties properties;
    private final BolnaWebhookService webhooks;
    /**
     * Where the next run goes on (null: from the oldest). Each run takes the next page and wraps round at the
     * end, so calls that stay unsettled run after run (an execution Bolna keeps reporting in progress, a
     * dial whose agent cannot be searched) never hold back the ones after them. Per instance: whichever
     * instance runs the job walks on from where it last stood.
     */
    private volatile CallPosition unboundFrom;
    private volatile CallPosition unfinishedFrom;

    BolnaReconciliation(CallService calls, CallLifecycle lifecycle, AgentService agents, BolnaClient bolna,
            BolnaProperties properties, BolnaWebhookService webhooks) {
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.agents = agents;
        this.bolna = bolna;
        this.properties = properties;
        this.webhooks = webhooks;
    }

    /**
     * How long after it began a call that Bolna still reports unfinished is failed (no charge, its hold and slot
     * released): no call lasts a day, and otherwise it was fetched again every run and held its account's and
     * the platform's capacity for ever.
     */
    static final Duration GIVE_UP_AFTER = Duration.ofDays(1);

    /** Returns how many calls were settled (applied from Bolna's API or failed). */
    public int reconcile() {
        if (!properties.apiConfigured()) {
            return 0;
        }
        Instant before = Instant.now().minus(properties.reconcileAfter());
        int settled = 0;
        List<UnboundDial> unbound = calls.unboundDials(before, unboundFrom, PAGE);
        unboundFrom = nextFrom(unbound, UnboundDial::position);
        for (UnboundDial dial : unbound) {
            settled += settleLostDial(dial) ? 1 : 0;
        }
        List<UnfinishedCall> unfinished = calls.unfinishedCalls(before, unfinishedFrom, PAGE);
        unfinishedFrom = nextFrom(unfinished, UnfinishedCall::position);
        for (UnfinishedCall call : unfinished) {
            try {
                BolnaClient.Fetched fetched = bolna.fetchExecution(call.executionId());
                BolnaStatus reported = fetched.execution().status();
                if (reported.terminal() || reported.advances(call.lifecycle())) {
                    webhooks.receiveAndProcess(fetched.json(), "reconciliation");
                    settled++;
                }
                if (call.createdAt().isBefore(Instant.now().minus(GIVE_UP_AFTER))
                        && lifecycle.failUnreported(call.callId(), "Bolna still reports this call unfinished a day after it began")) {
                    log.warn("Call {} (execution {}) failed: Bolna has reported it unfinished for over {}", call.callId(),
                            call.executionId(), GIVE_UP_AFTER);
                }
            } catch (BolnaNotFound gone) {
                settled += lifecycle.failUnreported(call.callId(), "Bolna does not know this execution") ? 1 : 0;
            } catch (ApiException e) {
                log.warn("Reconciliation could not fetch execution {}: {}", call.executionId(), e.getMessage());
            }
        }
        return settled;
    }

    /** Where the next run goes on after this page: after its last call, or from the oldest when it was the last page. */
    private static <T> CallPosition nextFrom(List<T> page, Function<T, CallPosition> position) {
        return page.size() < PAGE ? null : position.apply(page.getLast());
    }

    /**
     * A recorded dial Bolna never confirmed: applied from Bolna's API when its execution is found among
     * the agent's; when the search saw every execution of the agent and it is not among them, nobody was
     * called (failed as never placed: a campaign dials its recipient again); when the search could not
     * see them all (more than {@value #PAGES_SEARCHED} pages, or the agent is gone), failed like any
     * unreported call, so that a dial Bolna may have placed is never placed twice.
     */
    private boolean settleLostDial(UnboundDial dial) {
        String bolnaAgent = agents.callable(dial.userId(), dial.agentId()).map(AgentService.CallableAgent::bolnaAgentId)
                .orElse(null);
        Search search = Search.INCONCLUSIVE;
        try {
            search = bolnaAgent == null ? Search.INCONCLUSIVE : findByAttempt(bolnaAgent, dial.callId());
            if (search.executionId() != null) {
                return applyFound(dial, search.executionId());
            }
        } catch (BolnaNotFound gone) {
            log.info("Bolna no longer knows agent {} of lost dial {}", bolnaAgent, dial.callId());
        } catch (ApiException unreachable) {
            log.warn("Reconciliation could not search Bolna for lost dial {}: {}", dial.callId(),
                    unreachable.getMessage());
            return false;
        }
        return search.sawEverything() ? lifecycle.failNeverPlaced(dial.callId(), "Bolna never placed this dial")
                : lifecycle.failUnreported(dial.callId(), "Bolna never confirmed this dial");
    }

    /**
     * Applies the execution found among the agent's: the dial was placed. When Bolna then answers 404 for
     * that execution (removed between the search and the fetch), the dial still counts as placed: failed
     * as unreported, never as never placed, which would have a campaign call its recipient again.
     */
    private boolean applyFound(UnboundDial dial, String executionId) {
        try {
            webhooks.receiveAndProcess(bolna.fetchExecution(executionId).json(), "reconciliation");
            return true;
        } catch (BolnaNotFound gone) {
            return lifecycle.failUnreported(dial.callId(), "Bolna no longer knows this dial's execution");
        }
    }

    /** The execution among the agent's latest that carries this dial's attempt id, and whether all were seen. */
    private Search findByAttempt(String bolnaAgent, UUID attempt) {
        for (int page = 1; page <= PAGES_SEARCHED; page++) {
            BolnaClient.ExecutionPage executions = bolna.agentExecutions(bolnaAgent, page);
            for (BolnaExecution execution : executions.executions()) {
                if (attempt.equals(execution.recipient().callAttemptId())) {
                    return new Search(execution.id(), true);
                }
            }
            if (!executions.hasMore()) {
                return new Search(null, true);
            }
        }
        return Search.INCONCLUSIVE;
    }

    /** What a search of the agent's executions found: the execution, and whether it saw every one. */
    private record Search(String executionId, boolean sawEverything) {

        static final Search INCONCLUSIVE = new Search(null, false);
    }
}
