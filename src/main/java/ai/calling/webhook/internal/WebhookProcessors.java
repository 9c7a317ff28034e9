package ai.calling.webhook.internal;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import ai.calling.call.Dialer;
import ai.calling.config.BolnaProperties;

/**
 * The threads that apply stored deliveries as they arrive ({@code BOLNA_WEBHOOK_WORKERS}): each takes
 * whatever has been queued meanwhile (up to {@value #BATCH} events) as one batch. While deliveries
 * arrive at more than {@value #BURST_FACTOR} times what processing applies at full speed (measured on
 * its full batches) and keep the journal's writer busy (more than {@code BOLNA_WEBHOOK_YIELD_ABOVE_LOAD}
 * of the time), processing takes at most its share of the time (as autovacuum's cost delay does for
 * vacuum): a burst is acknowledged first, and processed at full speed as soon as it eases, or as soon
 * as the oldest queued event has waited {@code BOLNA_WEBHOOK_MAX_LAG}. A stream processing keeps up
 * with is applied as it arrives, however busy it keeps the journal: yielding to it would only delay
 * every event (its call ended, billed, its slot freed for the next dial) by up to the lag bound and buy
 * no acknowledgement (decision 0055). Nor does it yield while dials wait for one of the platform's
 * slots ({@code BOLNA_MAX_CONCURRENT_CALLS}): a call's end frees its slot only when its event is
 * applied, so a processor holding back would hold the dials back with it (measured: a campaign's slot
 * was freed 1.8 s after its call ended, at 70 dials/s on 200 slots).
 * Events no processor took (a full queue, a stop) are left to the sweep.
 * <p>
 * Stopped after the web server and the journal (phase {@link #PHASE}), so the deliveries acknowledged
 * last are still queued to a running processor; a processor finishes its batch before it stops.
 */
@Component
public class WebhookProcessors implements SmartLifecycle {

    /** Stopped after the journal ({@link WebhookJournal#PHASE}), which stops after the web server. */
    static final int PHASE = WebhookJournal.PHASE - 1024;
    static final int BATCH = 100;
    static final Duration BUSY_WINDOW = Duration.ofMillis(100);
    static final Duration YIELD_STEP = Duration.ofMillis(20);
    /**
     * How long after dials last waited for a slot processing still runs at full speed: longer than a
     * dispatch round's pause, which refreshes the signal while the platform is full.
     */
    static final Duration SLOTS_AWAITED_WINDOW = Duration.ofSeconds(5);
    /**
     * How fast the estimate of what processing applies at full speed forgets its highest measurement, in full
     * batches (10,000: about a million events, or 11 minutes of full batches at 1,500 a second; batches slowed
     * by the load beside them lower it only slowly). A load held at capacity for minutes still lowers it far
     * enough to be taken for a burst in the end (at 1,500 a second against a peak of 2,500, after about 2,300
     * batches); the lag bound then ends the yielding, as before.
     */
    static final int CAPACITY_HALF_LIFE = 10_000;
    /**
     * How many times what processing applies at full speed deliveries must arrive at to be a burst. Near
     * its capacity, yielding tips a stream it would keep up with into a backlog that only the lag bound
     * ends (measured at 2,000 a second offered against about 2,500 applied at full speed: backlog 13,900,
     * delay p50 4.2 s, with the estimate's noise taken for a burst); a burst worth acknowledging first
     * (wrk's 16 connections posting back to back) arrives at 4,000 to 9,000 a second.
     */
    static final double BURST_FACTOR = 1.5;
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessors.class);

    static final int BACKLOG_PAGE = 1000;

    private final WebhookProcessing processing;
    private final WebhookJournal journal;
    private final WebhookEvents events;
    private final BolnaProperties bolna;
    private final Dialer dialer;
    private final boolean drainAtStart;
    private final BlockingQueue<Queued> queued;
    /**
     * Set when a delivery did not fit in the queue (it is stored, not queued): the processor that next finds
     * the queue empty applies what is stored and unapplied, at full speed, instead of leaving it to the sweep
     * (500 every 30 s: a burst of minutes above the queue's size took an hour to apply).
     */
    private final AtomicBoolean overflowed = new AtomicBoolean();
    /** Whether a processor is applying what did not fit in the queue ({@link #drainOverflow}). */
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean running;
    /** Events a second one processor applies at full speed: its fastest full batch lately; NaN until there was one. */
    private final DecayingPeak fullSpeed = new DecayingPeak(CAPACITY_HALF_LIFE);
    /** {@link #assumeFullSpeed}: NaN unless a test fixed it. */
    private volatile double assumedFullSpeedPerSecond = Double.NaN;
    private List<Thread> processors = List.of();
    private Thread drain;

    WebhookProcessors(WebhookProcessing processing, WebhookJournal journal, WebhookEvents events,
            BolnaProperties bolna, Dialer dialer, @Value("${app.jobs.enabled:true}") boolean drainAtStart) {
        this.processing = processing;
        this.journal = journal;
        this.events = events;
        this.bolna = bolna;
        this.dialer = dialer;
        this.drainAtStart = drainAtStart;
        this.queued = new LinkedBlockingQueue<>(bolna.webhookQueueCapacity());
    }

    /**
     * Queues a stored event; false when the queue is full (a processor reads it back from the database once
     * it has caught up with the queue) or processing has stopped (the sweep, or the next start, takes it).
     */
    public boolean offer(UUID eventId) {
        if (!running) {
            return false;
        }
        if (queued.offer(new Queued(eventId, System.nanoTime()))) {
            return true;
        }
        overflowed.set(true);
        return false;
    }

    /** A stored event waiting for a processor, with when it was queued. */
    private record Queued(UUID eventId, long queuedAt) {
    }

    private void processQueued() {
        List<Queued> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                Queued first = queued.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    drainOverflow();
                    continue;
                }
                batch.add(first);
                queued.drainTo(batch, BATCH - 1);
                long began = System.nanoTime();
                String outcome = processing.process(batch.stream().map(Queued::eventId).toList(), false);
                long ended = System.nanoTime();
                // a batch whose events were claimed elsewhere meanwhile (the sweep, a replay) applied nothing
                if (batch.size() == BATCH && !"skipped".equals(outcome)) {
                    measured(BATCH * 1e9 / Math.max(1, ended - began));
                }
                yieldToDeliveries(ended - began);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("A webhook processor failed; its events wait for the sweep", e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Applies what did not fit in the queue, when something did not and no other processor is at it already: one
     * drain at a time (several would claim the same events in turn). The signal is given back if the drain fails.
     */
    private void drainOverflow() {
        if (!overflowed.get() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            overflowed.set(false);
            // up to a minute past this instance's clock: the events' times are the database's
            int applied = drainBacklog(OffsetDateTime.now().plusMinutes(1));
            log.info("Applied {} stored Bolna deliveries that did not fit in the processing queue", applied);
        } catch (RuntimeException e) {
            overflowed.set(true);
            throw e;
        } finally {
            draining.set(false);
        }
    }

    /**
     * Sleeps so that the batch just applied took {@code share} of the time, in short steps, only while
     * deliveries arrive at more than {@value #BURST_FACTOR} times what processing applies at full speed
     * (a burst); the pause ends early once deliveries ease, the oldest queued event has waited too long,
     * or dials wait for a platform slot.
     */
    private void yieldToDeliveries(long batchNanos) throws InterruptedException {
        double share = Math.clamp(bolna.webhookProcessingShare(), 0.01, 1);
        if (share >= 1) {
            return;
        }
        long until = System.nanoTime() + (long) (batchNanos * (1 - share) / share);
        while (running && journal.wroteWithin(BUSY_WINDOW) && journal.load() >= bolna.webhookYieldAboveLoad()
                && arrivalsOutpaceProcessing() && !fallingBehind() && !dialer.dialsAwaitSlots(SLOTS_AWAITED_WINDOW)) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, YIELD_STEP.toNanos()));
        }
    }

    /**
     * Whether deliveries arrive much faster ({@value #BURST_FACTOR} times) than the processors apply them
     * at full speed (their fastest full batch lately, {@link DecayingPeak}): a burst, which acknowledging first serves. A
     * stream they keep up with is applied as it arrives, however busy it keeps the journal: holding back
     * would only delay every event and spare the acknowledgements nothing they need. Measured with a steady offered load
     * (bench/webhook-sustained.sh): yielding to a busy journal held a backlog of 8,000 events and a delay
     * of 5.6 s (p50) at 1,500 a second, while processing at full speed applied 2,500 a second with a p99
     * of 0.85 s and acknowledgements on time (p99 12 ms). Until a full batch has been measured, nothing
     * has outpaced processing.
     */
    private boolean arrivalsOutpaceProcessing() {
        double perProcessor = Double.isNaN(assumedFullSpeedPerSecond) ? fullSpeed.value()
                : assumedFullSpeedPerSecond;
        double capacity = perProcessor * workers();
        return !Double.isNaN(capacity) && journal.arrivalsPerSecond() > BURST_FACTOR * capacity;
    }

    /** How many processor threads run ({@code BOLNA_WEBHOOK_WORKERS}, 1 to 16). */
    private int workers() {
        return Math.clamp(bolna.webhookWorkers(), 1, 16);
    }

    /**
     * Fixes what one processor is taken to apply at full speed, instead of what its full batches measure:
     * the tests' deliveries are too cheap to apply for a stream of them to outpace processing, so a test
     * that needs a burst (or a stream below capacity) states the capacity it is measured against.
     */
    void assumeFullSpeed(double perSecond) {
        assumedFullSpeedPerSecond = perSecond;
    }

    /** A full batch was applied at {@code perSecond} events a second. */
    private void measured(double perSecond) {
        fullSpeed.measured(perSecond);
    }

    /** Whether the oldest queued event has waited longer than the lag processing allows. */
    private boolean fallingBehind() {
        Queued oldest = queued.peek();
        return oldest != null && System.nanoTime() - oldest.queuedAt() > bolna.webhookMaxLag().toNanos();
    }

    /**
     * Applies every event still in state received that arrived before now, in batches, at full speed (no
     * staleness threshold, no yielding): after a crash the stored backlog is applied at start-up, and what
     * did not fit in the queue once the queue is empty, rather than 500 per 30 s sweep. Safe beside other
     * processors and instances (events are claimed with SKIP LOCKED; one still queued is skipped when its
     * turn comes). Returns how many events it went through.
     */
    int drainBacklog() {
        return drainBacklog(OffsetDateTime.now());
    }

    /** As {@link #drainBacklog()}, for the events received before {@code before}. */
    private int drainBacklog(OffsetDateTime before) {
        List<WebhookEvents.Backlogged> page = events.backlog(before, null, null, BACKLOG_PAGE);
        int drained = 0;
        while (running && !page.isEmpty()) {
            List<UUID> ids = page.stream().map(WebhookEvents.Backlogged::id).toList();
            for (int from = 0; from < ids.size(); from += BATCH) {
                processing.process(ids.subList(from, Math.min(ids.size(), from + BATCH)), false);
            }
            drained += ids.size();
            WebhookEvents.Backlogged last = page.getLast();
            page = events.backlog(before, last.receivedAt(), last.id(), BACKLOG_PAGE);
        }
        return drained;
    }

    private void drainAtStart() {
        long started = System.nanoTime();
        try {
            int drained = drainBacklog();
            if (drained > 0) {
                log.info("Applied the {} Bolna deliveries stored before start-up in {} ms", drained,
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (RuntimeException e) {
            log.error("The start-up drain of stored Bolna deliveries stopped; the sweep goes on with them", e);
        }
    }

    /** Starts the processors and, where the scheduled jobs run, the drain of what was stored before the start. */
    @Override
    public void start() {
        running = true;
        processors = IntStream.range(0, workers())
                .mapToObj(n -> Thread.ofPlatform().name("bolna-webhook-" + n).daemon().start(this::processQueued))
                .toList();
        if (drainAtStart) {
            drain = Thread.ofPlatform().name("bolna-webhook-backlog").daemon().start(this::drainAtStart);
        }
    }

    @Override
    public void stop() {
        running = false;
        List<Thread> threads = new ArrayList<>(processors);
        if (drain != null) {
            threads.add(drain);
        }
        for (Thread processor : threads) {
            try {
                processor.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!queued.isEmpty()) {
            log.info("{} stored Bolna deliveries were not applied before the stop; the sweep applies them", queued.size());
            queued.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
