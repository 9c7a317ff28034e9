package ai.calling.webhook.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.common.ApiException;
import ai.calling.common.Ids;

/**
 * Stores webhook deliveries with group commit: request threads hand their delivery to one writer
 * thread, which inserts everything that has arrived meanwhile (up to {@value #MAX_BATCH} rows) in one
 * transaction and then releases all of their requests. Each request still answers only after its row
 * is committed; under load one commit (one WAL flush) serves many requests instead of one. A batch
 * that fails is written again row by row, so one bad delivery cannot fail the others.
 */
@Component
public class WebhookJournal implements SmartLifecycle {

    /**
     * Started before the web server and stopped after it (Spring Boot stops the server in phases
     * {@code DEFAULT_PHASE - 1024} and {@code - 2048}): requests in flight at shutdown still get their
     * row committed.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    static final int MAX_BATCH = 500;
    static final Duration WAIT = Duration.ofSeconds(10);
    /** The writer's load is averaged over about this long: a burst shows within a few of its batches. */
    static final Duration LOAD_TIME_CONSTANT = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(WebhookJournal.class);
    private static final String INSERT = """
            INSERT INTO bolna_webhook_events (id, execution_id, bolna_agent_id, status, source, payload)
            VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(20_000);
    private Thread writer;
    private volatile boolean running;
    private volatile long lastWriteNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    private final WriterLoad load = new WriterLoad(LOAD_TIME_CONSTANT, System.nanoTime());
    private final ArrivalRate arrivals = new ArrivalRate(LOAD_TIME_CONSTANT, System.nanoTime());

    WebhookJournal(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Stores one delivery and returns its id once it is committed. Throws when it could not be stored
     * (the caller answers 5xx, so Bolna delivers it again).
     */
    public UUID append(String executionId, String bolnaAgentId, String status, String source, String payload) {
        Pending pending = new Pending(Ids.timeOrdered(), executionId, bolnaAgentId, status, source, payload,
                new CompletableFuture<>());
        try {
            if (!queue.offer(pending, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The webhook journal is full");
            }
            pending.stored().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return pending.id();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while storing a webhook", e);
        } catch (ExecutionException e) {
            if (dataException(e.getCause())) {
                // a value PostgreSQL cannot hold (a number beyond numeric's range, ...): storing it again fails
                // again, so it is refused rather than left for Bolna to retry
                throw ApiException.badRequest("The delivery holds a value that cannot be stored");
            }
            throw new IllegalStateException("The webhook could not be stored", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The webhook was not stored in time", e);
        }
    }

    /** SQLSTATE class 22, "data exception": the row's own values were refused. */
    private static boolean dataException(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("The webhook journal writer failed", e);
                batch.forEach(p -> p.stored().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /** Whether deliveries were stored within the last {@code window}: the webhook is busy. */
    public boolean wroteWithin(Duration window) {
        return System.nanoTime() - lastWriteNanos < window.toNanos();
    }

    /**
     * How much of the recent time the writer spent writing (0 to 1, see {@link WriterLoad}): near 1
     * while a burst keeps it busy, the duty cycle of a steady load below its capacity.
     */
    public double load() {
        return load.at(System.nanoTime());
    }

    /** Deliveries arriving per second lately (averaged as {@link #load()} is). */
    public double arrivalsPerSecond() {
        return arrivals.perSecond(System.nanoTime());
    }

    private void write(List<Pending> batch) {
        lastWriteNanos = System.nanoTime();
        long began = lastWriteNanos;
        arrivals.arrived(batch.size(), began);
        try {
            insert(batch);
            load.wrote(began, System.nanoTime());
            batch.forEach(p -> p.stored().complete(null));
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1) {
                batch.getFirst().stored().completeExceptionally(batchFailure);
                return;
            }
            for (Pending one : batch) {
                try {
                    insert(List.of(one));
                    one.stored().complete(null);
                } catch (RuntimeException e) {
                    one.stored().completeExceptionally(e);
                }
            }
        }
    }

    private void insert(List<Pending> rows) {
        transactions.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, rows, rows.size(), (ps, p) -> {
            ps.setObject(1, p.id());
            ps.setString(2, p.executionId());
            ps.setString(3, p.bolnaAgentId());
            ps.setString(4, p.status());
            ps.setString(5, p.source());
            ps.setString(6, p.payload());
        }));
    }

    @Override
    public void start() {
        running = true;
        writer = Thread.ofPlatform().name("bolna-webhook-journal").daemon().start(this::writeLoop);
    }

    /** Writes what is queued, then stops (the writer loops until the queue is empty). */
    @Override
    public void stop() {
        running = false;
        try {
            writer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private record Pending(UUID id, String executionId, String bolnaAgentId, String status, String source,
            String payload, CompletableFuture<Void> stored) {
    }
}
