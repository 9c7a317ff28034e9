package ai.calling.analytics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import ai.calling.agent.AgentService;
import ai.calling.analytics.AnalyticsDtos.OutcomeSummary;
import ai.calling.analytics.internal.CallOutcomeQueries;
import ai.calling.analytics.internal.CallOutcomeQueries.Grouping;
import ai.calling.analytics.internal.CallOutcomeQueries.Totals;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.lead.LeadAnalysisCompleted;

/**
 * agent_call_outcomes: one row per call, written in the transaction that ends the call (how it
 * ended) and completed in the transaction that writes its lead analysis (qualified, temperature,
 * follow-up, next steps). Both writes are idempotent, so replays and retried analyses change
 * nothing twice. Quality, satisfaction, sentiment, topics and objections stay empty: neither Bolna
 * nor our analysis prompt reports them, and we do not invent them.
 */
@Service
public class CallOutcomes {

    static final List<String> OUTCOMES = List.of("completed", "no_answer", "busy", "failed", "voicemail",
            "disconnected");
    static final List<String> TEMPERATURES = List.of("hot", "warm", "cold", "not_interested");

    private final CallOutcomeQueries queries;
    private final AgentService agents;
    private final Clock clock;

    CallOutcomes(CallOutcomeQueries queries, AgentService agents, Clock clock) {
        this.queries = queries;
        this.agents = agents;
        this.clock = clock;
    }

    /** The outcomes of a batch's calls, in one statement. */
    @EventListener
    void callsEnded(CallsCompleted calls) {
        queries.recordEnds(calls.calls().stream()
                .map(call -> new CallOutcomeQueries.End(call.userId(), call.agentId(), call.callId(), call.outcome()))
                .toList());
    }

    /** Also creates the row for a call that ended before outcomes were recorded. */
    @EventListener
    void analysed(LeadAnalysisCompleted analysis) {
        queries.analysedLead(analysis.userId(), analysis.callId()).ifPresent(lead -> {
            LocalDate followUpDate = date(lead.demoBookDatetime());
            boolean followUp = Boolean.TRUE.equals(lead.ctaFollowupClicked())
                    || Boolean.TRUE.equals(lead.ctaDemoClicked()) || followUpDate != null;
            String tag = lead.leadStatusTag();
            queries.recordAnalysis(analysis.userId(), analysis.callId(),
                    lead.totalScore() != null && lead.totalScore() >= 70,
                    tag == null ? null : tag.toLowerCase(Locale.ROOT), followUp, followUpDate,
                    lead.smartNotification());
        });
    }

    /** The agent's outcomes over [from, to] (UTC days of the call's end; default the last 30 days). */
    public OutcomeSummary summary(UUID userId, UUID agentId, LocalDate from, LocalDate to) {
        agents.get(userId, agentId);
        DateRange range = DateRange.of(from, to, clock);
        LocalDate start = range.start();
        LocalDate end = range.end();
        Totals totals = queries.totals(userId, agentId, start, end);
        return new OutcomeSummary(agentId, start, end, totals.calls(),
                queries.countsBy(Grouping.OUTCOME, OUTCOMES, userId, agentId, start, end), totals.qualifiedLeads(),
                queries.countsBy(Grouping.TEMPERATURE, TEMPERATURES, userId, agentId, start, end),
                totals.followUpsRequired(), queries.recent(userId, agentId, start, end));
    }

    /** Lead analyses give the booked demo as free text; only a leading ISO date is taken. */
    private static LocalDate date(String text) {
        if (text == null || text.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
