package ai.calling.lead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.auth.UserAdministration;
import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.call.CallTranscripts;
import ai.calling.call.CallTranscripts.CallTranscript;
import ai.calling.common.ApiException;
import ai.calling.config.OpenAiProperties;
import ai.calling.config.Secrets;
import ai.calling.contact.ContactService;
import ai.calling.lead.internal.AnalysisResult;
import ai.calling.lead.internal.LeadAnalysisJobs;
import ai.calling.lead.internal.LeadAnalysisJobs.Job;
import ai.calling.lead.internal.LeadAnalysisWriter;
import ai.calling.lead.internal.OpenAiAnalyzer;
import ai.calling.lead.internal.OpenAiAnalyzer.AnalysisFailure;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lead analysis, never on the webhook's thread: a call that ends with a transcript queues a durable
 * job in the same transaction; workers claim jobs, ask OpenAI (the individual prompt, then the
 * complete prompt over every transcript of that number), validate the answers and write both rows
 * and the contact's empty fields in one transaction. Prompts: the user's own, else the system
 * default, else the job fails with "no prompt configured".
 */
@Service
public class LeadAnalysisService {

    private static final Logger log = LoggerFactory.getLogger(LeadAnalysisService.class);

    private final LeadAnalysisJobs jobs;
    private final LeadAnalysisWriter writer;
    private final OpenAiAnalyzer openAi;
    private final CallTranscripts transcripts;
    private final UserAdministration users;
    private final ContactService contacts;
    private final OpenAiProperties properties;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    static final int MAX_TRIES = 5;
    private static final RetryTemplate WRITE_RETRIES = new RetryTemplate(RetryPolicy.builder()
            .includes(TransientDataAccessException.class).maxRetries(3).delay(Duration.ofMillis(20))
            .jitter(Duration.ofMillis(20)).build());

    private final Duration retryBase;

    LeadAnalysisService(LeadAnalysisJobs jobs, LeadAnalysisWriter writer, OpenAiAnalyzer openAi,
            CallTranscripts transcripts, UserAdministration users, ContactService contacts, OpenAiProperties properties,
            TransactionTemplate transactions, JsonMapper json,
            @Value("${app.lead-analysis.retry-base:PT30S}") Duration retryBase, ApplicationEventPublisher events) {
        this.retryBase = retryBase;
        this.events = events;
        this.jobs = jobs;
        this.writer = writer;
        this.openAi = openAi;
        this.transcripts = transcripts;
        this.users = users;
        this.contacts = contacts;
        this.properties = properties;
        this.transactions = transactions;
        this.json = json;
    }

    /**
     * The jobs of a batch's calls that have a transcript, in one statement, in the webhook's transaction: a
     * job exists exactly when its call's end is committed.
     */
    @EventListener
    void queue(CallsCompleted calls) {
        List<CallCompleted> transcribed = calls.calls().stream().filter(call -> call.transcriptId() != null).toList();
        jobs.enqueueAll(transcribed.stream().map(CallCompleted::userId).toList(),
                transcribed.stream().map(CallCompleted::callId).toList());
    }

    /**
     * Re-runs the analysis of a call of this user (404 for another tenant's call; 409 while it runs, as its result
     * comes with the prompt it read).
     */
    public void retry(UUID userId, UUID callId) {
        CallTranscript input = transcripts.forCall(callId).filter(t -> t.userId().equals(userId))
                .orElseThrow(() -> ApiException.notFound("The transcript of this call"));
        boolean queued = Boolean.TRUE.equals(transactions.execute(status -> jobs.enqueue(input.userId(), input.callId())
                || !"running".equals(jobs.state(input.callId()).orElse(""))));
        if (!queued) {
            // each ask is two paid OpenAI calls: one analysis of a call at a time, not one more per click
            throw ApiException.conflict("The analysis of this call is running; ask again once it has ended");
        }
        events.publishEvent(new AnalysisDue(Duration.ZERO));
    }

    /**
     * How long a claimed job may go unfinished before it counts as abandoned: longer than a claim of jobs can
     * take (each asks OpenAI twice, each ask up to 3 tries of 60 s).
     */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    /**
     * Puts back in the queue the jobs whose worker stopped before finishing them (a killed or redeployed
     * instance left them claimed, and nothing else would ever run them), or fails those out of attempts; their
     * transcripts' analysis status follows. Returns how many.
     */
    public int requeueAbandoned() {
        List<LeadAnalysisJobs.Abandoned> abandoned = transactions.execute(status -> {
            List<LeadAnalysisJobs.Abandoned> jobsBack = jobs.requeueAbandoned(ABANDONED_AFTER, MAX_TRIES);
            for (String state : List.of("queued", "failed")) {
                transcripts.markAnalysis(jobsBack.stream().filter(job -> job.state().equals(state))
                        .map(LeadAnalysisJobs.Abandoned::callId).toList(), state.equals("queued") ? "pending" : "failed");
            }
            return jobsBack;
        });
        if (!abandoned.isEmpty()) {
            log.warn("{} lead analyses left unfinished by a stopped worker were put back or failed", abandoned.size());
            events.publishEvent(new AnalysisDue(Duration.ZERO));
        }
        return abandoned.size();
    }

    /**
     * Claims and runs due jobs; returns how many ran. The jobs of a claim that fail are recorded together, in one
     * transaction of two statements: with no prompt configured every job fails at once, and recording each alone
     * was, with the benchmark's calls, a tenth of PostgreSQL's time (bench/README.md, ninth session).
     */
    public int runDue() {
        return runDue(() -> false);
    }

    /**
     * As {@link #runDue()}, for a worker that may be stopped meanwhile: once {@code stopping} says so, it claims no
     * more jobs, and the jobs it has claimed but not begun go back to the queue at once, their attempt not counted.
     * They used to stay claimed until the sweep of jobs left running ({@link #requeueAbandoned()}, an hour later),
     * as after a crash; at every deploy, up to {@value #CLAIM} jobs per instance waited that hour.
     */
    public int runDue(BooleanSupplier stopping) {
        int ran = 0;
        List<Job> claimed;
        while (!stopping.getAsBoolean()
                && !(claimed = transactions.execute(status -> jobs.claim(CLAIM))).isEmpty()) {
            List<Failed> failed = new ArrayList<>();
            List<Job> notBegun = List.of();
            try {
                for (int i = 0; i < claimed.size(); i++) {
                    if (stopping.getAsBoolean()) {
                        notBegun = claimed.subList(i, claimed.size());
                        break;
                    }
                    run(claimed.get(i), failed);
                    ran++;
                }
            } finally {
                try {
                    putBack(notBegun);
                } finally {
                    recordFailures(failed);
                }
            }
        }
        return ran;
    }

    /** How many due jobs a worker claims at a time. */
    static final int CLAIM = 5;

    private void putBack(List<Job> notBegun) {
        if (!notBegun.isEmpty()) {
            int back = transactions.execute(status -> jobs.putBack(notBegun));
            log.info("{} lead analyses claimed by a stopping worker were put back in the queue", back);
        }
    }

    /** The job's results are not this worker's to write: its claim is no longer the current one. */
    private static final class NoLongerClaimed extends RuntimeException {
        NoLongerClaimed() {
            super(null, null, false, false);
        }
    }

    /** A job that failed for good, and why. */
    private record Failed(Job job, String reason) {
    }

    private void recordFailures(List<Failed> failed) {
        if (failed.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> transcripts.markAnalysis(jobs.failedAll(
                failed.stream().map(Failed::job).toList(), failed.stream().map(Failed::reason).toList()), "failed"));
    }

    private void run(Job job, List<Failed> failed) {
        try {
            // the prompts first: a job that cannot run fails without reading its transcript or marking it
            // processing (the job's account is its call's, by the job's foreign key)
            if (users.isClosed(job.userId())) {
                // a call of a closed account that ended after its closure: its lead data would be written anew
                throw new AnalysisFailure("The account was closed");
            }
            UserAdministration.PromptIds own = users.storedPromptIds(job.userId());
            String individualPrompt = prompt(own.individualPromptId(), properties.individualPromptId(), "individual");
            String completePrompt = prompt(own.completePromptId(), properties.completePromptId(), "complete");
            CallTranscript call = transcripts.forCall(job.callId())
                    .orElseThrow(() -> new AnalysisFailure("The call has no transcript"));
            transcripts.markAnalysis(call.callId(), "processing");

            AnalysisResult individual = AnalysisResult.parse(openAi.run(individualPrompt, Map.of(
                    "transcript", call.transcript(), "phone_number", call.phoneNumber(),
                    "call_direction", call.leadType(), "call_started_at", call.startedAt().toString(),
                    "duration_seconds", String.valueOf(call.durationSeconds()))), json);
            List<CallTranscript> history = transcripts.history(call.userId(), call.phoneNumber());
            AnalysisResult complete = AnalysisResult.parse(openAi.run(completePrompt, Map.of(
                    "transcripts", conversation(history), "phone_number", call.phoneNumber(),
                    "previous_analysis", previousComplete(call.userId(), call.phoneNumber()),
                    "calls_count", String.valueOf(history.size()))), json);

            // the results are paid for: a write that lost a deadlock (the analytics triggers raise it again,
            // decision 0054) is written again, not analysed again. The rows a webhook batch also writes are
            // taken in the batch's order (the transcript, the contact, the job) and before the lead figures,
            // whose trigger takes the account's analytics lock: so that lock comes last, as in the batch, whose
            // call ends take it at commit (decision 0057). In another order a batch and this transaction
            // could each hold one of the rows the other wants.
            WRITE_RETRIES.invoke(() -> transactions.executeWithoutResult(status -> {
                transcripts.markAnalysis(call.callId(), "completed");
                contacts.normalise(call.phoneNumber()).ifPresent(e164 -> contacts.fillBlanks(call.userId(), e164,
                        individual.name(), individual.email(), individual.companyName()));
                if (!jobs.done(job)) {
                    // failed by an account closure, or put back by the stopped-worker sweep and claimed again
                    throw new NoLongerClaimed();
                }
                writer.individual(call.userId(), call.callId(), call.phoneNumber(), individual);
                writer.lockLead(call.userId(), call.phoneNumber());
                writer.complete(call.userId(), latest(history, call), call.phoneNumber(), history.size(), complete);
                events.publishEvent(new LeadAnalysisCompleted(call.userId(), call.callId()));
            }));
        } catch (OpenAiAnalyzer.TransientFailure e) {
            if (job.attempts() < MAX_TRIES) {
                long base = retryBase.toMillis() << (job.attempts() - 1);
                Duration delay = Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2)));
                log.info("Lead analysis of call {} will be retried in {}: {}", job.callId(), delay, e.getMessage());
                transactions.executeWithoutResult(status -> {
                    if (jobs.retryLater(job, e.getMessage(), delay)) {
                        transcripts.markAnalysis(job.callId(), "pending");
                    }
                });
                events.publishEvent(new AnalysisDue(delay.plusMillis(50)));
            } else {
                failed.add(new Failed(job, e.getMessage()));
            }
        } catch (NoLongerClaimed e) {
            log.info("Lead analysis of call {} dropped: its job is no longer this worker's (the account was closed, or "
                    + "the job was taken over after this worker seemed stopped)", job.callId());
        } catch (AnalysisFailure | ApiException e) {
            log.info("Lead analysis of call {} failed: {}", job.callId(), e.getMessage());
            failed.add(new Failed(job, e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("Lead analysis of call {} failed unexpectedly", job.callId(), e);
            failed.add(new Failed(job, "Unexpected error: " + e.getClass().getSimpleName()));
        }
    }

    private static String prompt(String own, String fallback, String kind) {
        if (Secrets.isSet(own)) {
            return own;
        }
        if (Secrets.isSet(fallback)) {
            return fallback;
        }
        throw new AnalysisFailure("No " + kind + " prompt configured (neither the user's nor OPENAI_"
                + kind.toUpperCase() + "_PROMPT_ID)");
    }

    private static UUID latest(List<CallTranscript> history, CallTranscript call) {
        return history.isEmpty() ? call.callId() : history.getLast().callId();
    }

    private static String conversation(List<CallTranscript> history) {
        StringBuilder text = new StringBuilder();
        for (CallTranscript call : history) {
            text.append("--- call of ").append(call.startedAt()).append(" ---\n").append(call.transcript()).append('\n');
        }
        return text.toString();
    }

    private String previousComplete(UUID userId, String phone) {
        return json.writeValueAsString(new LinkedHashMap<>(writer.previousComplete(userId, phone)));
    }

    /** Jobs will be due after {@code delay}: the worker runs them then (the scheduled poll is the safety net). */
    public record AnalysisDue(Duration delay) {
    }
}
