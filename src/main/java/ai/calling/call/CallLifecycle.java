package ai.calling.call;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.agent.AgentService;
import ai.calling.agent.AgentService.CallableAgent;
import ai.calling.billing.CreditLedger;
import ai.calling.billing.HoldTerms;
import ai.calling.bolna.BolnaExecution;
import ai.calling.bolna.BolnaStatus;
import ai.calling.call.internal.Call;
import ai.calling.call.internal.CallProgressWriter;
import ai.calling.call.internal.CallRepository;
import ai.calling.call.internal.CallSlots;
import ai.calling.call.internal.ExecutionLocks;
import ai.calling.call.internal.SpeakerSegment;
import ai.calling.call.internal.Transcript;
import ai.calling.call.internal.TranscriptRepository;
import ai.calling.common.Text;
import ai.calling.contact.ContactService;

/**
 * Applies Bolna execution objects (from webhooks, a replay or reconciliation: one code path) to
 * their calls. Events of one execution are serialised by a transaction-scoped advisory lock. The
 * lifecycle only moves forward, each timestamp is set once, and the terminal work (duration,
 * billing, release of the credit hold, not-connected count) happens exactly once, when the call
 * first becomes terminal. An execution we have not seen that carries the id of a recorded dial
 * ({@code call_attempt_id}) is bound to that call, even when it arrives before Bolna's answer to
 * {@code POST /call}. Whatever a payload holds (NUL characters, over-long strings, absurd
 * durations) an event is applied: text is cut to what its column holds, a call is charged at most
 * its hold.
 */
@Service
public class CallLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);
    /** Rows per JDBC batch when a batch of events is flushed (webhook batches are at most 100 events). */
    static final int FLUSH_BATCH = 100;

    private final CallRepository calls;
    private final CallSlots slots;
    private final TranscriptRepository transcripts;
    private final AgentService agents;
    private final ContactService contacts;
    private final CreditLedger ledger;
    private final ApplicationEventPublisher events;
    private final ExecutionLocks executionLocks;
    private final EntityManager entityManager;
    private final CallProgressWriter progress;

    CallLifecycle(CallRepository calls, CallSlots slots, TranscriptRepository transcripts, AgentService agents, ContactService contacts,
            CreditLedger ledger, ApplicationEventPublisher events, ExecutionLocks executionLocks, EntityManager entityManager,
            CallProgressWriter progress) {
        this.calls = calls;
        this.slots = slots;
        this.transcripts = transcripts;
        this.agents = agents;
        this.contacts = contacts;
        this.ledger = ledger;
        this.events = events;
        this.executionLocks = executionLocks;
        this.entityManager = entityManager;
        this.progress = progress;
    }

    /**
     * Applies execution objects to their calls, in one transaction: one statement locks every
     * execution (in a fixed order, so two batches cannot deadlock on these locks), one loads their
     * calls, each call's updates are folded in the order given, and the changed calls are written by
     * one statement ({@link CallProgressWriter}). Returns the execution ids that concern no agent of
     * ours (nothing was written for them).
     */
    @Transactional
    public Set<String> apply(List<BolnaExecution> executions) {
        // the queries below read nothing this method changes; without this, each of them would first
        // dirty-check every call of the batch (a third of the processor's time, measured with JFR)
        entityManager.setFlushMode(FlushModeType.COMMIT);
        Map<String, List<BolnaExecution>> byExecution = new TreeMap<>();
        for (BolnaExecution execution : executions) {
            byExecution.computeIfAbsent(execution.id(), key -> new ArrayList<>()).add(execution);
        }
        executionLocks.lockAll(byExecution.keySet());
        Map<String, Call> known = new HashMap<>();
        // what each call holds as stored: one whose progress stays equal is not written (Bolna delivering an event
        // again); a call bound below is written whatever its events change
        Map<Call, Call.Progress> loaded = new HashMap<>();
        calls.findByBolnaExecutionIds(byExecution.keySet().toArray(String[]::new)).forEach(call -> {
            known.put(call.getBolnaExecutionId(), call);
            loaded.put(call, call.progress());
        });

        Set<String> ignored = new HashSet<>();
        List<Ended> ended = new ArrayList<>();
        Map<Call, List<BolnaExecution>> applied = new LinkedHashMap<>();
        for (Map.Entry<String, List<BolnaExecution>> entry : byExecution.entrySet()) {
            List<BolnaExecution> updates = entry.getValue();
            Call call = known.get(entry.getKey());
            if (call == null) {
                call = bindRecordedDial(entry.getKey(), updates).orElse(null);
            }
            if (call == null) {
                Optional<CallableAgent> agent = agents.byBolnaId(updates.getFirst().agentId());
                if (agent.isEmpty()) {
                    ignored.add(entry.getKey());
                    continue;
                }
                call = bindDialByNumber(entry.getKey(), updates, agent.get()).orElse(null);
                if (call == null) {
                    // written now: the contact, the transcript and the hold refer to it
                    call = calls.saveAndFlush(newInboundCall(agent.get(), entry.getKey(), updates.getFirst()));
                    ledger.holdStarted(call.getUserId(), call.getId(), agent.get().maxCallDurationSeconds());
                    // the flush wrote the calls this batch had changed so far too: as they are now is what is stored
                    applied.keySet().forEach(written -> loaded.put(written, written.progress()));
                    loaded.put(call, call.progress());
                }
            }
            for (BolnaExecution execution : updates) {
                Ended end = advance(call, execution);
                if (end != null) {
                    ended.add(end);
                }
            }
            applied.put(call, updates);
        }
        linkContacts(applied);
        saveTranscripts(applied);
        charge(ended);
        // the batch's calls are written by one statement of ours, not by Hibernate (a statement per call, every
        // column bound): detached, so that the flush leaves them alone
        List<Call> changed = applied.keySet().stream()
                .filter(call -> !call.progress().equals(loaded.get(call)))
                .sorted(Comparator.comparing(Call::getUserId).thenComparing(Call::getId))
                .toList();
        applied.keySet().forEach(entityManager::detach);
        // new transcripts inserted in JDBC batches (one round trip, not one per row), before the calls that name them
        entityManager.unwrap(Session.class).setJdbcBatchSize(FLUSH_BATCH);
        calls.flush();
        progress.write(changed);
        settle(ended);
        return ignored;
    }

    /**
     * Sets the duration, billed minutes and credits of the calls that have just ended, under the terms
     * of their holds (calls without one: the longest call any agent may make, today's price), before
     * the flush, so status, duration and credits reach the analytics triggers in one UPDATE.
     */
    private void charge(List<Ended> ended) {
        if (ended.isEmpty()) {
            return;
        }
        Map<UUID, HoldTerms> holds = ledger.holdsOf(ended.stream().map(end -> end.call().getId()).toList());
        for (Ended end : ended) {
            HoldTerms terms = holds.getOrDefault(end.call().getId(), ledger.unheldTerms());
            HoldTerms.Charge charge = terms.charge(end.connected() ? end.reportedSeconds() : 0);
            end.call().setDurationSeconds(charge.seconds());
            end.call().setDurationMinutes(charge.minutes());
            end.call().setCreditsUsed(charge.credits());
        }
    }

    /**
     * Frees the ended calls' slots, releases their holds and debits their costs (the ledger locks the
     * balance rows in one order, as the execution locks are), then counts failed connections and
     * publishes each call's end.
     */
    private void settle(List<Ended> ended) {
        if (ended.isEmpty()) {
            return;
        }
        slots.release(ended.stream().map(end -> end.call().getId()).toList());
        ended.sort(Comparator.comparing(end -> end.call().getUserId()));
        ledger.settleAll(ended.stream().map(end -> new CreditLedger.Settlement(end.call().getUserId(),
                end.call().getId(), end.call().getCreditsUsed(), "Call of " + end.call().getDurationMinutes()
                        + " min to " + end.call().getPhoneNumber())).toList());
        List<CallCompleted> completed = new ArrayList<>(ended.size());
        for (Ended end : ended) {
            Call call = end.call();
            if (call.getCreditsUsed() == 0 && call.getContactId() != null) {
                contacts.countConnectionFailure(call.getUserId(), call.getContactId(), call.getId());
            }
            completed.add(new CallCompleted(call.getId(), call.getUserId(), call.getAgentId(), call.getStatus(),
                    end.outcome(), call.getTranscriptId(), call.getCampaignId(), call.getCampaignRecipientId(),
                    end.placed()));
        }
        events.publishEvent(new CallsCompleted(completed));
    }

    /**
     * Ends a call that Bolna will never report on (an execution Bolna no longer knows) as failed: no
     * charge, its hold released, its outcome published. Returns false when the call had ended meanwhile
     * (or does not exist).
     */
    @Transactional
    public boolean failUnreported(UUID callId, String reason) {
        return fail(callId, reason, true);
    }

    /**
     * Ends a recorded dial that Bolna never placed (its answer was lost, and reconciliation found it
     * nowhere among its agent's executions: the request never got through, or its instance died before
     * sending it) as failed, like {@link #failUnreported}, but published as not placed: nobody was called,
     * so a campaign does not count it as an attempt of its recipient.
     */
    @Transactional
    public boolean failNeverPlaced(UUID callId, String reason) {
        return fail(callId, reason, false);
    }

    private boolean fail(UUID callId, String reason, boolean placed) {
        // the execution's lock first, as every other writer of a bound call takes it
        String locked = executionLocks.lockExecutionOf(callId);
        Call call = calls.lockById(callId).orElse(null);
        if (call == null || !"in_progress".equals(call.getStatus())) {
            return false;
        }
        if (call.getBolnaExecutionId() != null && !call.getBolnaExecutionId().equals(locked)) {
            // bound by a webhook between the two locks: Bolna placed it and reports on it, and its execution's
            // later events are applied under a lock this transaction does not hold; the next run decides
            return false;
        }
        Instant now = Instant.now();
        call.setStatus("failed");
        call.setCompletedAt(now);
        call.setHangupBy("system");
        call.setHangupReason(reason);
        List<Ended> ended = new ArrayList<>(List.of(new Ended(call, "failed", 0, false, placed)));
        charge(ended);
        calls.flush();
        settle(ended);
        log.info("Call {} failed without a report from Bolna: {}", callId, reason);
        return true;
    }

    /**
     * The recorded dial that an execution we do not know yet belongs to: its updates carry the call's id
     * as {@code call_attempt_id} (Bolna echoes our {@code user_data} in
     * {@code context_details.recipient_data}). Bound when that call has no execution id yet and its
     * agent is the execution's.
     */
    private Optional<Call> bindRecordedDial(String executionId, List<BolnaExecution> updates) {
        Optional<UUID> attempt = updates.stream().map(update -> update.recipient().callAttemptId())
                .filter(Objects::nonNull).findFirst();
        if (attempt.isEmpty()) {
            return Optional.empty();
        }
        Call call = calls.lockById(attempt.get()).orElse(null);
        if (call != null && executionId.equals(call.getBolnaExecutionId())) {
            // bound meanwhile by Bolna's answer to POST /call
            return Optional.of(call);
        }
        if (call == null || call.getBolnaExecutionId() != null) {
            return Optional.empty();
        }
        String bolnaAgent = updates.getFirst().agentId();
        boolean sameAgent = agents.byBolnaId(bolnaAgent).map(agent -> agent.id().equals(call.getAgentId())).orElse(false);
        if (!sameAgent) {
            log.warn("Execution {} names dial {} of another agent; not bound", executionId, attempt.get());
            return Optional.empty();
        }
        return Optional.of(bind(call, executionId));
    }

    /**
     * The recorded dial that an execution we do not know, not said to be inbound and without our attempt id,
     * belongs to: the one dial of its agent to its number that no execution is bound to yet (Bolna has not
     * answered it, or its answer was lost), made within the last {@value #UNBOUND_DIAL_HOURS} hour and before the
     * execution's first update (give or take {@value #CLOCK_SKEW_SECONDS} s between Bolna's clock and ours: a
     * dial made after it, such as a campaign's next attempt at the number, is not its dial). Without it the
     * execution became a call of its own with a hold of its own, and the dial, its execution taken, stayed in
     * progress with its hold and its slot until reconciliation, which could not bind it either. Two such dials
     * to one number: none is chosen (the execution becomes a call of its own, as before). An execution that
     * names an attempt of ours that could not be bound is not bound by its number either.
     */
    private Optional<Call> bindDialByNumber(String executionId, List<BolnaExecution> updates, CallableAgent agent) {
        if (updates.stream().anyMatch(update -> update.reportedInbound() || update.recipient().callAttemptId() != null)) {
            return Optional.empty();
        }
        Set<String> numbers = new HashSet<>();
        for (BolnaExecution update : updates) {
            for (String number : new String[] { update.customerNumber(), update.recipient().phoneNumber() }) {
                if (number != null && !number.isBlank()) {
                    numbers.add(number);
                    contacts.normalise(number).ifPresent(numbers::add);
                }
            }
        }
        if (numbers.isEmpty()) {
            return Optional.empty();
        }
        List<Call> dials = calls.lockUnboundDials(agent.id(), numbers,
                Instant.now().minus(Duration.ofHours(UNBOUND_DIAL_HOURS)));
        Instant began = updates.stream().map(BolnaExecution::at).min(Comparator.naturalOrder()).orElseThrow()
                .plusSeconds(CLOCK_SKEW_SECONDS);
        // one bound by an earlier execution of this batch is bound (in memory) already
        dials = dials.stream().filter(dial -> dial.getBolnaExecutionId() == null && dial.getCreatedAt().isBefore(began))
                .toList();
        if (dials.size() != 1) {
            return Optional.empty();
        }
        Call call = dials.getFirst();
        log.info("Execution {} carries no attempt id; bound to dial {}, the one of its agent to its number", executionId,
                call.getId());
        return Optional.of(bind(call, executionId));
    }

    /** A recorded dial bound to its execution: Bolna placed it. */
    private static Call bind(Call dial, String executionId) {
        dial.setBolnaExecutionId(executionId);
        dial.setDialStatus("confirmed");
        return dial;
    }

    /** The ends other than completed that a call can come to once answered, and is billed for ({@link #advance}). */
    private static final Set<BolnaStatus> ENDED_AFTER_ANSWER = Set.of(BolnaStatus.CANCELED, BolnaStatus.STOPPED,
            BolnaStatus.ERROR, BolnaStatus.FAILED);

    /** How far back a dial is looked for by its agent and number ({@link #bindDialByNumber}). */
    static final int UNBOUND_DIAL_HOURS = 1;

    /** How far Bolna's clock may be ahead of ours when a dial is told from a later one ({@link #bindDialByNumber}). */
    static final int CLOCK_SKEW_SECONDS = 60;

    /**
     * Moves the call forward by one execution object. Returns the call's end when this update is the
     * one that makes it terminal (its status is then set; its charge follows in {@link #charge}), else null.
     */
    private Ended advance(Call call, BolnaExecution execution) {
        BolnaStatus status = execution.status();
        Instant at = execution.at();
        if (status.advances(call.getCallLifecycleStatus())) {
            call.setCallLifecycleStatus(status.lifecycle());
        }
        if (status == BolnaStatus.RINGING && call.getRingingStartedAt() == null) {
            call.setRingingStartedAt(at);
        }
        if (status == BolnaStatus.IN_PROGRESS && call.getCallAnsweredAt() == null) {
            call.setCallAnsweredAt(at);
        }
        if ((status == BolnaStatus.CALL_DISCONNECTED || status.terminal()) && call.getCallDisconnectedAt() == null) {
            call.setCallDisconnectedAt(at);
        }
        copyDetails(call, execution);

        if (!status.terminal() || !"in_progress".equals(call.getStatus())) {
            return null;
        }
        long seconds = execution.durationSeconds();
        // answered and then stopped, cancelled or broken off by an error or a failure: someone was on the line for
        // that long, and the minutes are billed as for a completed call (they were free)
        boolean connected = seconds > 0 && ("completed".equals(status.callStatus()) || call.getCallAnsweredAt() != null
                && ENDED_AFTER_ANSWER.contains(status));
        call.setStatus(status.callStatus());
        call.setCompletedAt(at);
        return new Ended(call, outcome(status, connected, execution.voicemail(), call.getCallAnsweredAt() != null),
                seconds, connected, true);
    }

    /**
     * A call that has just ended: its outcome, the duration Bolna reported, whether anyone answered, and
     * whether Bolna placed it at all.
     */
    private record Ended(Call call, String outcome, long reportedSeconds, boolean connected, boolean placed) {
    }

    /** The agent_call_outcomes outcome of a call that has just ended (docs/bolna-webhooks.md). */
    static String outcome(BolnaStatus status, boolean connected, boolean voicemail, boolean answered) {
        if (voicemail) {
            return "voicemail";
        }
        return switch (status) {
            case COMPLETED -> connected ? "completed" : "no_answer";
            case NO_ANSWER -> "no_answer";
            case BUSY -> "busy";
            case CANCELED, STOPPED -> answered ? "disconnected" : "failed";
            default -> "failed";
        };
    }

    private Call newInboundCall(CallableAgent agent, String executionId, BolnaExecution execution) {
        String phone = execution.customerNumber();
        Call call = new Call(agent.userId(), agent.id(), executionId,
                phone == null ? "unknown" : Text.storable(phone, 50));
        call.setLeadType(execution.inbound() ? "inbound" : "outbound");
        call.setCallSource("phone");
        log.info("Bolna execution {} unknown here: creating the {} call for agent {}", executionId, call.getLeadType(),
                agent.id());
        return call;
    }

    private static void copyDetails(Call call, BolnaExecution execution) {
        String hangupBy = hangupBy(execution.telephony().hangupBy());
        if (hangupBy != null) {
            call.setHangupBy(hangupBy);
        }
        if (execution.telephony().hangupReason() != null) {
            call.setHangupReason(execution.telephony().hangupReason());
        }
        if (execution.telephony().hangupProviderCode() != null) {
            call.setHangupProviderCode(execution.telephony().hangupProviderCode());
        }
        if (execution.telephony().recordingUrl() != null) {
            call.setRecordingUrl(execution.telephony().recordingUrl());
        }
        Map<String, Object> metadata = new LinkedHashMap<>(call.getBolnaMetadata());
        execution.details().forEach((key, value) -> metadata.put(key, asStored(value)));
        // set only when it changes: a call whose fields all stay as they were is not written at all (Bolna
        // delivering an event again), and one that changes is written once, by the batch's statement
        if (!metadata.equals(call.getBolnaMetadata())) {
            call.setBolnaMetadata(metadata);
        }
    }

    /**
     * A metadata value as the call's JSON column reads it back: decimals as doubles (the execution parses
     * them as BigDecimal), nested maps and lists alike. Otherwise the map never equals its stored copy,
     * and every call loaded was written whether anything changed or not.
     */
    static Object asStored(Object value) {
        if (value instanceof BigDecimal decimal) {
            double number = decimal.doubleValue();
            return Double.isFinite(number) ? number : decimal;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), asStored(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(asStored(item)));
            return copy;
        }
        return value;
    }

    /**
     * Files each call without a contact under the contact of its number (created when the tenant has
     * none), for the whole batch at once: the number is the first that an update gives and that parses
     * (the callee's, or the caller's for an inbound call, else the recipient's, else the call's own). The
     * calls' rows exist by now: a new contact names its call as its origin.
     */
    private void linkContacts(Map<Call, List<BolnaExecution>> applied) {
        List<Call> linked = new ArrayList<>();
        List<ContactService.CallParty> parties = new ArrayList<>();
        applied.forEach((call, updates) -> {
            if (call.getContactId() != null) {
                return;
            }
            for (BolnaExecution execution : updates) {
                String phone = "inbound".equals(call.getLeadType()) ? execution.telephony().fromNumber()
                        : execution.telephony().toNumber();
                if (phone == null) {
                    phone = execution.recipient().phoneNumber();
                }
                Optional<String> e164 = contacts.normalise(phone == null ? call.getPhoneNumber() : phone);
                if (e164.isPresent()) {
                    linked.add(call);
                    parties.add(new ContactService.CallParty(call.getUserId(), e164.get(),
                            Text.storable(execution.recipient().name(), 255), call.getId()));
                    return;
                }
            }
        });
        if (parties.isEmpty()) {
            return;
        }
        List<UUID> contactIds = contacts.findOrCreateForCalls(parties);
        for (int i = 0; i < linked.size(); i++) {
            linked.get(i).setContactId(contactIds.get(i));
        }
    }

    /** The latest transcript among each call's updates replaces the call's transcript (one read for the batch). */
    private void saveTranscripts(Map<Call, List<BolnaExecution>> applied) {
        Map<Call, String> texts = new LinkedHashMap<>();
        applied.forEach((call, updates) -> updates.reversed().stream().map(BolnaExecution::transcript)
                .filter(Objects::nonNull).findFirst().ifPresent(text -> texts.put(call, text)));
        if (texts.isEmpty()) {
            return;
        }
        Map<UUID, Transcript> existing = new HashMap<>();
        transcripts.findByCallIds(texts.keySet().stream().map(Call::getId).toArray(UUID[]::new))
                .forEach(transcript -> existing.put(transcript.getCallId(), transcript));
        texts.forEach((call, text) -> {
            Transcript transcript = existing.get(call.getId());
            if (transcript == null || !transcript.getUserId().equals(call.getUserId())) {
                transcript = new Transcript(call.getUserId(), call.getId(), text, List.of());
            }
            transcript.setContent(text);
            transcript.setSpeakerSegments(segments(text));
            // inserted at the flush, before the calls' updates that name it
            call.setTranscriptId(transcripts.save(transcript).getId());
        });
    }

    /** "assistant: ..." / "user: ..." turns; lines without a speaker continue the previous turn. */
    static List<SpeakerSegment> segments(String text) {
        List<SpeakerSegment> segments = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String speaker = colon > 0 ? trimmed.substring(0, colon).trim().toLowerCase() : "";
            if (speaker.equals("assistant") || speaker.equals("user") || speaker.equals("agent")) {
                segments.add(new SpeakerSegment(speaker.equals("agent") ? "assistant" : speaker,
                        trimmed.substring(colon + 1).trim()));
            } else if (!segments.isEmpty()) {
                SpeakerSegment last = segments.removeLast();
                segments.add(new SpeakerSegment(last.speaker(), last.text() + " " + trimmed));
            } else {
                segments.add(new SpeakerSegment("unknown", trimmed));
            }
        }
        return segments;
    }

    private static String hangupBy(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return null;
        }
        if (value.contains("callee") || value.contains("user") || value.contains("customer") || value.contains("caller")) {
            return "user";
        }
        if (value.contains("agent") || value.contains("assistant") || value.contains("bot")) {
            return "agent";
        }
        return "system";
    }

    /**
     * The calls that one application of events ended (a webhook batch's, or a single call's), published
     * once, in that transaction, instead of a {@link CallCompleted} per call: each listener does its work
     * for all of them in a statement or two (a batch ended up to 100 calls, and each listener took a round
     * trip per call). The only event of a call's end: listeners take the batch, never one call alone.
     */
    public record CallsCompleted(List<CallCompleted> calls) {

        public CallsCompleted {
            calls = List.copyOf(calls);
        }
    }

    /**
     * One call's end, in the transaction that first makes it terminal, delivered in a {@link CallsCompleted}
     * (the lead analysis, the agent call outcomes, campaigns, outbound events and the dashboard's cache
     * listen). {@code outcome} is one of agent_call_outcomes' outcomes; the campaign ids are null for calls no campaign placed. {@code placed} is false only for
     * a recorded dial that Bolna never placed: nobody was called.
     */
    public record CallCompleted(UUID callId, UUID userId, UUID agentId, String status, String outcome,
            UUID transcriptId, UUID campaignId, UUID campaignRecipientId, boolean placed) {

        /** A call Bolna placed (every end but a recorded dial found never placed, {@link CallLifecycle#failNeverPlaced}). */
        public CallCompleted(UUID callId, UUID userId, UUID agentId, String status, String outcome, UUID transcriptId,
                UUID campaignId, UUID campaignRecipientId) {
            this(callId, userId, agentId, status, outcome, transcriptId, campaignId, campaignRecipientId, true);
        }
    }
}
