package ai.calling.lead.internal;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ai.calling.lead.LeadAnalysisService;

/**
 * The safety nets of the analysis queue: jobs queued while no worker was woken (restart, retry backoff), and
 * jobs claimed by a worker that stopped before finishing them.
 */
@Component
@ConditionalOnProperty(name = "app.jobs.enabled", havingValue = "true", matchIfMissing = true)
class LeadAnalysisJobsRunner {

    private final LeadAnalysisService analyses;
    private final LeadAnalysisWorker worker;

    LeadAnalysisJobsRunner(LeadAnalysisService analyses, LeadAnalysisWorker worker) {
        this.analyses = analyses;
        this.worker = worker;
    }

    @Scheduled(fixedDelayString = "PT10S", initialDelayString = "PT20S")
    @SchedulerLock(name = "lead-analysis-jobs", lockAtMostFor = "PT10M")
    void runDue() {
        // stops with the worker: a run still claiming at shutdown would take the jobs the worker just put back, and
        // leave them claimed for the sweep of abandoned jobs when the process ends
        analyses.runDue(worker::stopping);
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT1M")
    @SchedulerLock(name = "lead-analysis-abandoned", lockAtMostFor = "PT5M")
    void requeueAbandoned() {
        analyses.requeueAbandoned();
    }
}
