package ai.calling.lead.internal;

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

import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.lead.LeadAnalysisService;
import ai.calling.lead.LeadAnalysisService.AnalysisDue;

/**
 * The thread that runs lead analyses: woken when a call with a transcript has ended (after its
 * commit, so its job exists), when a retry is asked for, and when a retry falls due. Started and
 * stopped with the application: on stop it lets the analysis in hand finish (its job is claimed) for
 * up to 30 s, claims no more, and puts back the jobs it claimed but has not begun; queued wake-ups are
 * dropped, the jobs stay in the table for the next start's poll (or another instance's).
 */
@Component
class LeadAnalysisWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeadAnalysisWorker.class);

    private final LeadAnalysisService analyses;
    private volatile ScheduledExecutorService worker;
    private volatile boolean stopping;

    LeadAnalysisWorker(LeadAnalysisService analyses) {
        this.analyses = analyses;
    }

    /** Woken once for a batch of calls (it runs every due job when it wakes), not once per call. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void callsEnded(CallsCompleted calls) {
        if (calls.calls().stream().anyMatch(call -> call.transcriptId() != null)) {
            schedule(Duration.ZERO);
        }
    }

    @EventListener
    void due(AnalysisDue due) {
        schedule(due.delay());
    }

    private void schedule(Duration delay) {
        ScheduledExecutorService current = worker;
        if (current != null && !current.isShutdown()) {
            current.schedule(this::runDue, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runDue() {
        try {
            analyses.runDue(() -> stopping);
        } catch (RuntimeException e) {
            log.error("A lead analysis run failed; the scheduled poll tries again", e);
        }
    }

    /** Whether the application is stopping: runs of the queue claim no more jobs and give back those not begun. */
    boolean stopping() {
        return stopping;
    }

    @Override
    public void start() {
        stopping = false;
        worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("lead-analysis").factory());
    }

    @Override
    public void stop() {
        stopping = true;
        ScheduledExecutorService current = worker;
        current.shutdown();
        try {
            if (!current.awaitTermination(30, TimeUnit.SECONDS)) {
                current.shutdownNow();
            }
        } catch (InterruptedException e) {
            current.shutdownNow();
            Thread.currentThread().interrupt();
        }
        worker = null;
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
