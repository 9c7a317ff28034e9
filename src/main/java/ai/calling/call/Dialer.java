package ai.calling.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.agent.AgentService.CallableAgent;
import ai.calling.billing.CreditLedger;
import ai.calling.bolna.BolnaClient;
import ai.calling.bolna.BolnaClient.Dial;
import ai.calling.bolna.CallRequest;
import ai.calling.billing.HoldQuota;
import ai.calling.call.internal.CallDials;
import ai.calling.call.internal.CallSlots;
import ai.calling.common.ApiException;
import ai.calling.common.Ids;
import ai.calling.config.BolnaProperties;

/**
 * Outbound dials, for a single call and for campaigns alike: recorded before they are sent, sent with
 * nothing held open, and their outcome recorded after. {@link #record} runs in the caller's
 * transaction: within the account's hold quota (its cap on calls in progress and its available
 * credits, under the account's balance lock) and the platform's free slots ({@code
 * BOLNA_MAX_CONCURRENT_CALLS}), it writes each call without an execution id, holds the most it can
 * cost and gives it a slot. {@link #send} then posts each recorded dial to Bolna (in parallel, no
 * transaction or connection held) with the call's id as {@code user_data.call_attempt_id}, and records
 * the outcomes in one short transaction: placed (the execution id is bound), unconfirmed (Bolna's
 * answer was lost; the hold and slot stay until a webhook or reconciliation settles the call), or not
 * placed (the call goes, and its hold and slot with it).
 */
@Service
public class Dialer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    private final CallDials dials;
    private final CallSlots slots;
    private final CreditLedger ledger;
    private final BolnaClient bolna;
    private final BolnaProperties bolnaProperties;
    private final TransactionTemplate transactions;
    private ExecutorService senders;
    /** When dials last waited for a platform slot ({@link System#nanoTime}); long ago at start. */
    private volatile long slotsAwaitedAt = System.nanoTime() - Duration.ofDays(1).toNanos();

    Dialer(CallDials dials, CallSlots slots, CreditLedger ledger, BolnaClient bolna, BolnaProperties bolnaProperties,
            TransactionTemplate transactions) {
        this.dials = dials;
        this.slots = slots;
        this.ledger = ledger;
        this.bolna = bolna;
        this.bolnaProperties = bolnaProperties;
        this.transactions = transactions;
    }

    /**
     * A dial to record: the number (E.164), what the call is for, and the member who asked for it
     * ({@code createdBy}; null for a campaign's dials, which the campaign accounts for).
     */
    public record DialRequest(String phoneNumber, UUID contactId, String callerName, Map<String, Object> userData,
            UUID campaignId, UUID campaignRecipientId, UUID createdBy) {
    }

    /** A dial recorded in the caller's transaction, ready to be sent once it has committed. */
    public record RecordedDial(UUID callId, DialRequest request, CallRequest bolnaRequest) {
    }

    /**
     * What {@link #record} wrote: the dials recorded (the first ones requested, in order) and, when
     * fewer than requested, what stopped the others.
     */
    public record Recording(List<RecordedDial> recorded, Limit limitedBy, HoldQuota quota) {
    }

    /** What kept a recording below what was requested. */
    public enum Limit { NONE, ACCOUNT_CAP, CREDITS, PLATFORM_CAP }

    /** How a sent dial ended: placed, unconfirmed, or not taken by Bolna (then {@code refusal} says how). */
    public record Sent(RecordedDial dial, Outcome outcome, String executionId, ApiException refusal) {
    }

    /**
     * PLACED and UNCONFIRMED: Bolna took the dial or may have. The others were certainly not placed: REFUSED,
     * this dial was at fault (a number Bolna cannot call); THROTTLED, Bolna was at its limit (429); UNAVAILABLE,
     * Bolna could not be reached or refused our account, key or agent, which any dial would have met.
     */
    public enum Outcome {
        PLACED, UNCONFIRMED, REFUSED, THROTTLED, UNAVAILABLE;

        /** Not placed, and not for a reason of its own: the same dial may be taken later. */
        public boolean notTakenForNow() {
            return this == THROTTLED || this == UNAVAILABLE;
        }
    }

    /**
     * The outcomes' transaction is tried again once after a conflict: without it, one confirmation that met a
     * call a webhook had just created with the same execution id (a unique violation) rolled back every outcome
     * of the round, and its refused dials kept their holds and slots until reconciliation.
     */
    private static final RetryTemplate OUTCOME_RETRIES = new RetryTemplate(RetryPolicy.builder()
            .includes(TransientDataAccessException.class, DataIntegrityViolationException.class).maxRetries(1)
            .delay(Duration.ofMillis(10)).build());

    /** Records as many of {@code requests} as the account's quota and the platform's free slots allow. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Recording record(UUID userId, CallableAgent agent, List<DialRequest> requests) {
        HoldQuota quota = ledger.holdQuota(userId, agent.maxCallDurationSeconds(), requests.size());
        List<Integer> free = quota.granted() == 0 ? List.of()
                : slots.lockFree(bolnaProperties.maxConcurrentCalls(), quota.granted());
        int count = free.size();
        Limit limit = count == requests.size() ? Limit.NONE
                : count < quota.granted() ? Limit.PLATFORM_CAP
                : quota.limitedBy() == HoldQuota.Limit.CREDITS ? Limit.CREDITS : Limit.ACCOUNT_CAP;
        if (limit == Limit.PLATFORM_CAP) {
            dialsAwaitSlots();
        }
        if (count == 0) {
            return new Recording(List.of(), limit, quota);
        }
        List<RecordedDial> recorded = new ArrayList<>(count);
        for (DialRequest request : requests.subList(0, count)) {
            UUID callId = Ids.timeOrdered();
            recorded.add(new RecordedDial(callId, request, new CallRequest(agent.bolnaAgentId(), request.phoneNumber(),
                    agent.fromPhoneNumber(), request.userData(), callId)));
        }
        List<UUID> callIds = recorded.stream().map(RecordedDial::callId).toList();
        dials.insert(userId, agent.id(), recorded.stream().map(dial -> new CallDials.NewDial(dial.callId(),
                dial.request().phoneNumber(), dial.request().contactId(), dial.request().callerName(),
                dial.request().userData(), dial.request().campaignId(), dial.request().campaignRecipientId(),
                dial.request().createdBy())).toList());
        ledger.hold(userId, callIds, quota);
        slots.assign(free, callIds);
        return new Recording(recorded, limit, quota);
    }

    /**
     * Sends committed dials to Bolna, all at once, with no transaction open, then records their
     * outcomes in one transaction. Never throws for a dial's outcome: a refusal is reported in its
     * {@link Sent}. If the outcomes cannot be written, the dials stay as recorded and are settled like
     * unconfirmed ones.
     */
    public List<Sent> send(List<RecordedDial> recorded) {
        return send(recorded, recorded.size() == 1);
    }

    /**
     * As {@link #send}, for dials no client waits on (a campaign's): a call that a webhook is applying
     * an event to right now is never waited for (that webhook binds and confirms it).
     */
    public List<Sent> sendUnattended(List<RecordedDial> recorded) {
        return send(recorded, false);
    }

    private List<Sent> send(List<RecordedDial> recorded, boolean waitForLockedCalls) {
        List<Sent> sent = recorded.size() == 1 ? List.of(post(recorded.getFirst())) : postAll(recorded);
        try {
            // once more when the first attempt lost a race (a deadlock, or a call a webhook created meanwhile with
            // one of these execution ids: the confirmation then leaves that dial out); its statements are idempotent
            OUTCOME_RETRIES.invoke(() -> transactions.executeWithoutResult(status -> {
                Map<UUID, String> placed = new LinkedHashMap<>();
                List<UUID> lost = new ArrayList<>();
                List<UUID> gone = new ArrayList<>();
                for (Sent one : sent) {
                    switch (one.outcome()) {
                        case PLACED -> placed.put(one.dial().callId(), one.executionId());
                        case UNCONFIRMED -> lost.add(one.dial().callId());
                        case REFUSED, THROTTLED, UNAVAILABLE -> gone.add(one.dial().callId());
                    }
                }
                Set<UUID> confirmed = dials.confirm(placed, waitForLockedCalls);
                placed.keySet().stream().filter(call -> !confirmed.contains(call)).forEach(lost::add);
                dials.markUnconfirmed(lost);
                dials.forget(gone);
            }));
        } catch (RuntimeException e) {
            // recorded and held: a webhook or reconciliation settles each of them. Any failure, not only
            // the statements' (DataAccessException): no connection within the pool's timeout or a failed
            // commit is a TransactionException, and an exception here would answer 5xx for a dial that
            // may be ringing, inviting the client to dial again
            log.error("The outcomes of {} dials could not be recorded", sent.size(), e);
        }
        return sent;
    }

    private List<Sent> postAll(List<RecordedDial> recorded) {
        List<Future<Sent>> posts = recorded.stream().map(dial -> senders.submit(() -> post(dial))).toList();
        List<Sent> sent = new ArrayList<>(posts.size());
        for (int i = 0; i < posts.size(); i++) {
            try {
                sent.add(posts.get(i).get());
            } catch (ExecutionException | RuntimeException e) {
                sent.add(new Sent(recorded.get(i), Outcome.UNCONFIRMED, null, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sent.add(new Sent(recorded.get(i), Outcome.UNCONFIRMED, null, null));
            }
        }
        return sent;
    }

    private Sent post(RecordedDial dial) {
        try {
            Dial answer = bolna.placeCall(dial.bolnaRequest());
            return answer.placed() ? new Sent(dial, Outcome.PLACED, answer.executionId(), null)
                    : new Sent(dial, Outcome.UNCONFIRMED, null, null);
        } catch (ApiException refused) {
            Outcome outcome = refused.status() == HttpStatus.TOO_MANY_REQUESTS ? Outcome.THROTTLED
                    : refused instanceof BolnaClient.DialRefused ? Outcome.REFUSED : Outcome.UNAVAILABLE;
            return new Sent(dial, outcome, null, refused);
        } catch (RuntimeException unexpected) {
            // thrown after the request may have left: the call may be ringing
            log.warn("Dial {} ended unexpectedly; it stays unconfirmed", dial.callId(), unexpected);
            return new Sent(dial, Outcome.UNCONFIRMED, null, null);
        }
    }

    /**
     * Dials are waiting for a platform slot (the dispatcher wants more than are free, or a recording
     * found too few): until that passes, ending calls promptly is what lets them go, so the webhook
     * processors do not hold back (see {@link #dialsAwaitSlots(Duration)}).
     */
    public void dialsAwaitSlots() {
        slotsAwaitedAt = System.nanoTime();
    }

    /** Whether dials on this instance waited for a platform slot within the last {@code window}. */
    public boolean dialsAwaitSlots(Duration window) {
        return System.nanoTime() - slotsAwaitedAt < window.toNanos();
    }

    /** Calls in progress at Bolna that we dialled (the platform's slots in use), per account. */
    public Map<UUID, Integer> callsInProgressByAccount() {
        return slots.inUseByUser();
    }

    /** Every free slot exists before the first dial. */
    @Override
    public void start() {
        senders = Executors.newVirtualThreadPerTaskExecutor();
        slots.provide(Math.max(1, bolnaProperties.maxConcurrentCalls()));
    }

    @Override
    public void stop() {
        senders.close();
        senders = null;
    }

    @Override
    public boolean isRunning() {
        return senders != null;
    }
}
