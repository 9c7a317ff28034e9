package ai.calling.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.agent.AgentService;
import ai.calling.agent.AgentService.CallableAgent;
import ai.calling.call.CallService;
import ai.calling.call.Dialer;
import ai.calling.call.Dialer.DialRequest;
import ai.calling.call.Dialer.RecordedDial;
import ai.calling.call.Dialer.Sent;
import ai.calling.campaign.internal.CallingWindow;
import ai.calling.campaign.internal.CampaignRow;
import ai.calling.campaign.internal.Campaigns;
import ai.calling.campaign.internal.FairShare;
import ai.calling.campaign.internal.Recipients;
import ai.calling.config.BolnaProperties;
import ai.calling.config.CampaignProperties;
import ai.calling.dnc.DoNotCallList;

/**
 * Dials the recipients of running campaigns, on every instance at once. Each round:
 * <ol>
 * <li>running campaigns with nothing left to do are completed;</li>
 * <li>the platform's free call slots ({@code BOLNA_MAX_CONCURRENT_CALLS}) are shared max-min fairly
 * between the tenants that have recipients due ({@link FairShare}), then round-robin between a
 * tenant's campaigns, least recently served first;</li>
 * <li>each campaign's share is dialled in one transaction that locks the campaign's row (so its
 * {@code maxConcurrentCalls} holds, and a pause or cancel is seen), claims due recipients with
 * {@code FOR UPDATE SKIP LOCKED} (no two instances claim one recipient), skips do-not-call numbers,
 * and records the dials through the {@link Dialer} (the account's cap and credits, the platform's
 * slots); then the dials are sent with nothing held open. Tenants' shares are dialled side by side
 * on a few dialer threads (one tenant's campaigns in turn on one of them).</li>
 * </ol>
 * A campaign whose agent is inactive pauses ({@code agent_inactive}); one whose account cannot cover
 * the next hold pauses ({@code insufficient_credits}) and resumes after a purchase. Bolna answering
 * 429 puts the recipient back and slows the dispatcher down (doubling back-off); nothing fails. All
 * caps are enforced in the database, so they hold across instances; fairness is planned per instance.
 */
@Component
public class CampaignDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CampaignDispatcher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** Tenants whose shares of a round are dialled side by side. */
    private static final int DIALERS = 4;

    private final Campaigns campaigns;
    private final Recipients recipients;
    private final Dialer dialer;
    private final CallService calls;
    private final AgentService agents;
    private final DoNotCallList doNotCall;
    private final BolnaProperties bolna;
    private final CampaignProperties properties;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private volatile Thread loop;
    private volatile ExecutorService dialers;
    private volatile boolean running;
    private Duration backoff = Duration.ZERO;
    private final Object wakeups = new Object();
    private boolean woken;

    CampaignDispatcher(Campaigns campaigns, Recipients recipients, Dialer dialer, CallService calls, AgentService agents,
            DoNotCallList doNotCall, BolnaProperties bolna, CampaignProperties properties,
            TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        this.campaigns = campaigns;
        this.recipients = recipients;
        this.dialer = dialer;
        this.calls = calls;
        this.agents = agents;
        this.doNotCall = doNotCall;
        this.bolna = bolna;
        this.properties = properties;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /** One dispatch round now; returns how many dials were sent. */
    public int dispatchOnce() {
        return dispatchOnce(clock.instant());
    }

    /**
     * One dispatch round as if it were {@code now} (calling windows, retry times); returns the dials Bolna took
     * (or may have). When Bolna did not take some for now (429, unreachable, our account refused), the next
     * round waits: 1 s, doubling up to a minute while it goes on.
     */
    public int dispatchOnce(Instant now) {
        Round round = new Round();
        int sent = dispatchRound(now, round);
        synchronized (this) {
            backoff = round.heldBack.get() ? (backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF))
                    : Duration.ZERO;
        }
        return sent;
    }

    private int dispatchRound(Instant now, Round round) {
        List<Campaigns.Running> running = campaigns.running(now);
        LinkedHashMap<UUID, Integer> demand = new LinkedHashMap<>();
        Map<UUID, List<Campaigns.Running>> byTenant = new LinkedHashMap<>();
        for (Campaigns.Running campaign : running) {
            if (campaign.finished()) {
                if (Boolean.TRUE.equals(transactions.execute(status -> {
                    boolean completed = campaigns.completeIfFinished(campaign.userId(), campaign.id());
                    if (completed) {
                        // in the completing transaction: the outbound campaign.completed event commits with it
                        events.publishEvent(new CampaignCompleted(campaign.userId(), campaign.id()));
                    }
                    return completed;
                }))) {
                    log.info("Campaign {} completed", campaign.id());
                }
                continue;
            }
            int room = campaign.maxConcurrentCalls() - campaign.inFlight();
            if (campaign.due() && room > 0) {
                demand.merge(campaign.userId(), room, Integer::sum);
                byTenant.computeIfAbsent(campaign.userId(), tenant -> new ArrayList<>()).add(campaign);
            }
        }
        if (demand.isEmpty()) {
            return 0;
        }
        Map<UUID, Integer> inUse = dialer.callsInProgressByAccount();
        int free = bolna.maxConcurrentCalls() - inUse.values().stream().mapToInt(Integer::intValue).sum();
        if (demand.values().stream().mapToInt(Integer::intValue).sum() > free) {
            // the platform's slots are what holds these dials back: calls' ends are to be applied promptly
            dialer.dialsAwaitSlots();
        }
        if (free <= 0) {
            return 0;
        }
        Map<UUID, Integer> shares = FairShare.allocate(free, inUse, demand);
        // only the agents of the tenants served this round (a full platform serves none)
        Map<UUID, CallableAgent> agentsById = agents.callables(shares.keySet().stream()
                .flatMap(tenant -> byTenant.get(tenant).stream()).map(Campaigns.Running::agentId)
                .collect(Collectors.toSet()));
        List<Future<Integer>> tenants = new ArrayList<>();
        for (Map.Entry<UUID, Integer> share : shares.entrySet()) {
            List<Campaigns.Running> theirs = byTenant.get(share.getKey());
            tenants.add(dialers.submit(() -> dialShare(theirs, share.getValue(), agentsById, now, round)));
        }
        int sent = 0;
        for (Future<Integer> tenant : tenants) {
            try {
                sent += tenant.get();
            } catch (ExecutionException e) {
                // this tenant's round failed (its transaction rolled back, or its dials stay recorded and are
                // settled like unconfirmed ones); the other tenants' rounds stand
                log.error("A tenant's campaign dispatch failed; the next round tries again", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return sent;
    }

    /**
     * One tenant's share of a round, over its campaigns in turn (least recently served first). Tenants'
     * shares are dialled side by side: their transactions touch different campaigns and accounts, and
     * the platform's slots are claimed with SKIP LOCKED, so they neither wait for nor deadlock with each
     * other, and their commits share the log's flushes.
     */
    private int dialShare(List<Campaigns.Running> campaignsOfTenant, int share, Map<UUID, CallableAgent> agentsById,
            Instant now, Round round) {
        int left = share;
        int sent = 0;
        List<Placed> placed = new ArrayList<>();
        for (Campaigns.Running campaign : campaignsOfTenant) {
            if (left <= 0 || round.heldBack.get()) {
                // Bolna did not take this round's dials for now (429, unreachable, our account refused): the
                // tenant's next campaigns would meet the same; the round's back-off waits instead
                break;
            }
            int wanted = Math.min(left, Math.min(campaign.maxConcurrentCalls() - campaign.inFlight(),
                    properties.batchSize()));
            CallableAgent agent = agentsById.get(campaign.agentId());
            int dialled = dial(campaign.id(), campaign.userId(),
                    agent != null && agent.userId().equals(campaign.userId()) ? agent : null, wanted, now, round, placed);
            left -= dialled;
            sent += dialled;
        }
        try {
            stopIfCancelledMeanwhile(placed);
        } catch (RuntimeException e) {
            log.warn("Could not stop the dials of campaigns cancelled while they were sent", e);
        }
        return sent;
    }

    /**
     * Claims and records up to {@code wanted} dials of one campaign in one transaction, then sends them.
     * Returns how many Bolna took (or may have); tells the round when it did not take some for now, and adds those
     * it placed to {@code placed}.
     */
    private int dial(UUID campaignId, UUID userId, CallableAgent agent, int wanted, Instant now, Round round,
            List<Placed> placed) {
        List<RecordedDial> recorded = transactions.execute(status -> {
            CampaignRow campaign = campaigns.lockForDispatch(userId, campaignId, now).orElse(null);
            if (campaign == null || !"running".equals(campaign.status())) {
                return List.<RecordedDial>of();
            }
            if (agent != null && !agent.id().equals(campaign.agentId())) {
                // the campaign changed its agent since the round read it: the next round dials with the new one
                return List.<RecordedDial>of();
            }
            if (agent == null || !agent.active()) {
                campaigns.setStatus(campaignId, "paused", "agent_inactive");
                log.info("Campaign {} paused: its agent is inactive", campaignId);
                return List.<RecordedDial>of();
            }
            // within the campaign's maxConcurrentCalls, counted under its lock by the claim itself
            List<Recipients.Claimed> claimed = recipients.claim(campaignId, now, wanted, campaign.maxConcurrentCalls());
            if (claimed.isEmpty()) {
                return List.<RecordedDial>of();
            }
            Set<String> listed = doNotCall.listed(userId, claimed.stream().map(Recipients.Claimed::phoneNumber).toList());
            CallingWindow window = campaign.window();
            List<UUID> skipped = new ArrayList<>();
            List<DialRequest> requests = new ArrayList<>();
            for (Recipients.Claimed recipient : claimed) {
                ZoneId zone = ZoneId.of(recipient.timeZone() != null ? recipient.timeZone() : campaign.timezone());
                if (!window.isOpen(now, zone)) {
                    // the database's and the JDK's zone rules disagree on this one: not dialled until both agree
                    continue;
                }
                if (listed.contains(recipient.phoneNumber())) {
                    skipped.add(recipient.id());
                } else {
                    requests.add(new DialRequest(recipient.phoneNumber(), recipient.contactId(), recipient.name(),
                            recipient.name() == null ? Map.of() : Map.of("name", recipient.name()), campaignId,
                            recipient.id(), null));
                }
            }
            recipients.markDoNotCall(skipped);
            if (requests.isEmpty()) {
                return List.<RecordedDial>of();
            }
            Dialer.Recording recording = dialer.record(userId, agent, requests);
            if (recording.limitedBy() == Dialer.Limit.CREDITS) {
                campaigns.setStatus(campaignId, "paused", "insufficient_credits");
                log.info("Campaign {} paused: the account cannot cover the next hold", campaignId);
            }
            if (!recording.recorded().isEmpty()) {
                recipients.markDialled(recording.recorded().stream().map(dial -> dial.request().campaignRecipientId())
                        .toList(), recording.recorded().stream().map(RecordedDial::callId).toList());
            }
            return recording.recorded();
        });
        if (recorded == null || recorded.isEmpty()) {
            return 0;
        }
        List<Sent> sent = dialer.sendUnattended(recorded);
        if (sent.stream().anyMatch(one -> one.outcome().notTakenForNow())) {
            round.heldBack.set(true);
        }
        settleRefusals(sent);
        sent.stream().filter(one -> one.outcome() == Dialer.Outcome.PLACED)
                .forEach(one -> placed.add(new Placed(campaignId, userId, one.dial().callId())));
        return (int) sent.stream().filter(one -> one.refusal() == null).count();
    }

    /**
     * The campaigns cancelled while a tenant's dials were being sent: their cancel found them without an
     * execution id (Bolna had not answered yet) and could not stop them; they are stopped now, as a cancel stops
     * every call Bolna has only queued. The cancel reads its calls after its commit, so one of the two sees each
     * dial. One query for the tenant's share, right after it (not after the round's slowest share: a call rings
     * and can no longer be stopped within seconds).
     */
    private void stopIfCancelledMeanwhile(List<Placed> placed) {
        if (placed.isEmpty()) {
            return;
        }
        Set<UUID> cancelled = campaigns.cancelledAmong(placed.stream().map(Placed::campaignId).collect(Collectors.toSet()));
        placed.stream().filter(one -> cancelled.contains(one.campaignId()))
                .forEach(one -> calls.stopIfQueued(one.userId(), one.callId()));
    }

    /** What a round's shares tell it: whether Bolna did not take some dials for now. */
    private static final class Round {
        final AtomicBoolean heldBack = new AtomicBoolean();
    }

    /** A dial Bolna placed for a campaign in a tenant's share of a round. */
    private record Placed(UUID campaignId, UUID userId, UUID callId) {
    }

    /**
     * Dials Bolna did not take: back to pending when not for a reason of their own (429, Bolna unreachable, our
     * account refused: cancelled if the campaign was meanwhile), failed when Bolna refused the dial itself.
     */
    private void settleRefusals(List<Sent> sent) {
        List<Sent> refused = sent.stream().filter(one -> one.refusal() != null).toList();
        if (!refused.isEmpty()) {
            transactions.executeWithoutResult(status -> refused.forEach(one -> {
                if (one.outcome().notTakenForNow()) {
                    recipients.putBack(one.dial().request().campaignRecipientId(), one.dial().callId());
                } else {
                    recipients.refuseDial(one.dial().request().campaignRecipientId(), one.dial().callId(), "refused");
                }
            }));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * A slot was freed (a call ended, after its commit): the loop's next round starts now rather than
     * after its pause. Not a back-off's: after a 429 the pause holds.
     */
    void wake() {
        synchronized (wakeups) {
            woken = true;
            wakeups.notifyAll();
        }
    }

    private void run() {
        Set<Class<?>> reported = new HashSet<>();
        while (running) {
            Duration pause = properties.interval();
            boolean wakeable = true;
            try {
                int sent = dispatchOnce();
                synchronized (this) {
                    if (!backoff.isZero()) {
                        pause = backoff;
                        wakeable = false;
                    } else if (sent > 0) {
                        // more may be due at once: the next round starts without waiting
                        pause = Duration.ZERO;
                    }
                }
                reported.clear();
            } catch (RuntimeException e) {
                if (reported.add(e.getClass())) {
                    log.error("A campaign dispatch round failed; the next one tries again", e);
                }
            }
            try {
                pause(pause, wakeable);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits {@code pause}, or until a call ends ({@link #wake}, also one that ended during the round) when
     * {@code wakeable}; a stop ends any wait.
     */
    private void pause(Duration pause, boolean wakeable) throws InterruptedException {
        long until = System.nanoTime() + pause.toNanos();
        synchronized (wakeups) {
            while (running && !(wakeable && woken)) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(wakeups, left);
            }
            woken = false;
        }
    }

    /** The dialers exist whenever the application runs (tests dispatch rounds themselves); the loop only with dispatch on. */
    @Override
    public void start() {
        dialers = Executors.newFixedThreadPool(DIALERS, Thread.ofPlatform().name("campaign-dialer-", 0).daemon().factory());
        if (!properties.dispatch()) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().name("campaign-dispatcher").daemon().start(this::run);
    }

    /** Lets the round in progress finish (its dials are recorded and sent), then stops. */
    @Override
    public void stop() {
        running = false;
        wake();
        Thread thread = loop;
        if (thread != null) {
            try {
                if (!thread.join(Duration.ofSeconds(30))) {
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loop = null;
        ExecutorService pool = dialers;
        if (pool != null) {
            // the last round's dials are sent and their outcomes recorded before the stop completes
            pool.close();
            dialers = null;
        }
    }

    @Override
    public boolean isRunning() {
        return dialers != null;
    }
}
