package ai.calling.integration.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import ai.calling.auth.Credentials;
import ai.calling.auth.Credentials.Credential;
import ai.calling.common.ApiException;
import ai.calling.config.LiveEventProperties;
import ai.calling.integration.internal.OutboxStore.LiveEvent;

/**
 * Live event streams of this instance. One connection LISTENs on {@code outbound_events}: every
 * instance's outbox writes NOTIFY it at commit with the tenant and event id, and the event is read
 * from the outbox for the tenant's streams here. A stream that resumes ({@code Last-Event-ID})
 * first gets the events after that one from the outbox, then the live ones; an event is never sent
 * twice on one stream. After the LISTEN connection is lost and back, every stream catches up from
 * the outbox. Idle streams get a heartbeat comment, and at each heartbeat every stream's credential is
 * checked again ({@link Credentials}): a stream whose session or API key would no longer be accepted (logged
 * out, revoked, its member removed, its account deactivated) is ended then, within one heartbeat.
 * <p>
 * Each stream is written by its own (virtual) thread from a queue bounded by size: the listener and the
 * heartbeat only put into queues. A client that stops reading blocks its own writer, never them (one stalled
 * socket held every tenant's live events and the revocation checks for minutes), and is ended when its queue
 * is full; reconnecting with {@code Last-Event-ID}, it gets what it missed from the outbox, read page by page by
 * its writer rather than held in memory.
 */
@Component
public class LiveEventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveEventHub.class);
    private static final String CHANNEL = "outbound_events";
    private static final int REPLAY_LIMIT = 10_000;
    private static final int REPLAY_PAGE = 500;
    /** What a stream may have waiting for its client (events' and comments' characters) before it is ended. */
    private static final long QUEUE_LIMIT_CHARS = 8L * 1024 * 1024;
    private static final Duration READER_TOUCH = Duration.ofMinutes(5);

    private final DataSource dataSource;
    private final OutboxStore outbox;
    private final LiveEventProperties properties;
    private final Credentials credentials;
    private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> readersTouched = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile Thread listener;
    private ScheduledExecutorService heartbeat;
    private ExecutorService writers;
    private final AtomicInteger runningWriters = new AtomicInteger();

    LiveEventHub(DataSource dataSource, OutboxStore outbox, LiveEventProperties properties, Credentials credentials) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.properties = properties;
        this.credentials = credentials;
    }

    /** How long an account counts as a live reader after its last stream was seen (its events are kept for it). */
    public Duration readerWindow() {
        return properties.resumeWindow().plus(READER_TOUCH).plus(READER_TOUCH);
    }

    /**
     * Opens a stream for the tenant of the credential it was asked with (checked again at every heartbeat),
     * resuming after {@code lastEventId} when given; 429 over the cap.
     */
    public SseEmitter open(Credential credential, UUID lastEventId) {
        UUID userId = credential.workspaceId();
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        ExecutorService writing = writers;
        if (writing == null || !running) {
            throw ApiException.unavailable("Live events are not running on this instance");
        }
        Stream stream = new Stream(credential, emitter);
        Set<Stream> own = streams.computeIfAbsent(userId, id -> new CopyOnWriteArraySet<>());
        synchronized (own) {
            if (own.size() >= properties.maxStreamsPerUser()) {
                throw ApiException.tooManyRequests("At most " + properties.maxStreamsPerUser()
                        + " live event streams per account; close one first", 5);
            }
            own.add(stream);
        }
        // the writer ends with the response (its 30 minutes, the client gone): left polling, it lived on unseen
        emitter.onCompletion(() -> end(stream));
        emitter.onTimeout(emitter::complete);
        emitter.onError(error -> end(stream));
        try {
            outbox.readerSeen(userId);
            readersTouched.put(userId, Instant.now());
            Optional<Long> after = lastEventId == null ? Optional.empty() : outbox.seqOf(userId, lastEventId);
            // without a resume point, what exists now is the point: a lost LISTEN connection is caught up from it
            stream.startAfter(after.orElseGet(() -> outbox.latestSeq(userId)), after.isPresent());
            // on this thread, before the response starts (the emitter keeps it until then); the rest by the writer
            emitter.send(SseEmitter.event().comment("connected"));
            writing.execute(stream::write);
        } catch (IOException | RuntimeException e) {
            close(stream);
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
        return emitter;
    }

    /** The streams' writer threads running on this instance (for tests and metrics): one per open stream. */
    public int runningWriters() {
        return runningWriters.get();
    }

    /** Streams open on this instance for the tenant (for tests and metrics). */
    public int openStreams(UUID userId) {
        return streams.getOrDefault(userId, Set.of()).size();
    }

    /** The stream leaves this instance's streams and its writer ends (completing the response, if still open). */
    private void end(Stream stream) {
        close(stream);
        stream.end();
    }

    private void close(Stream stream) {
        Set<Stream> own = streams.get(stream.credential.workspaceId());
        if (own != null) {
            synchronized (own) {
                own.remove(stream);
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        listener = Thread.ofPlatform().name("live-events-listener").daemon().start(this::listen);
        heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("live-events-heartbeat").daemon()
                .factory());
        long every = properties.heartbeat().toMillis();
        heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
        writers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("live-events-writer-", 0).factory());
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.values().forEach(own -> own.forEach(Stream::end));
        streams.clear();
        if (writers != null) {
            writers.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean reconnected = false;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (reconnected) {
                    catchUp();
                }
                reconnected = true;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            dispatch(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Live events lost their LISTEN connection, reconnecting: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void dispatch(String parameter) {
        int colon = parameter.indexOf(':');
        if (colon < 0) {
            return;
        }
        UUID userId;
        UUID eventId;
        try {
            userId = UUID.fromString(parameter.substring(0, colon));
            eventId = UUID.fromString(parameter.substring(colon + 1));
        } catch (IllegalArgumentException notOurs) {
            return;
        }
        Set<Stream> own = streams.get(userId);
        if (own == null || own.isEmpty()) {
            return;
        }
        outbox.event(userId, eventId).filter(event -> !"webhook.test".equals(event.type()))
                .ifPresent(event -> own.forEach(stream -> stream.deliver(event)));
    }

    /** After a lost LISTEN connection: every stream gets what it may have missed meanwhile (its writer reads it). */
    private void catchUp() {
        streams.values().forEach(own -> own.forEach(Stream::catchUp));
    }

    private void beat() {
        try {
            endRevoked();
        } catch (RuntimeException e) {
            // the check again at the next heartbeat; the heartbeats themselves go out now
            log.warn("Live events could not check the streams' credentials: {}", e.toString());
        }
        try {
            Instant now = Instant.now();
            streams.forEach((userId, own) -> {
                own.forEach(stream -> stream.comment("heartbeat"));
                if (!own.isEmpty() && readersTouched.getOrDefault(userId, Instant.EPOCH).isBefore(now.minus(READER_TOUCH))) {
                    outbox.readerSeen(userId);
                    readersTouched.put(userId, now);
                }
            });
        } catch (RuntimeException e) {
            // one failed round must not end the schedule
            log.warn("Live events heartbeat failed: {}", e.toString());
        }
    }

    /** Ends the streams whose credential would no longer be accepted (two statements for all of this instance's). */
    private void endRevoked() {
        Set<Credential> open = new HashSet<>();
        streams.values().forEach(own -> own.forEach(stream -> open.add(stream.credential)));
        if (open.isEmpty()) {
            return;
        }
        Set<Credential> revoked = credentials.revokedAmong(open);
        if (revoked.isEmpty()) {
            return;
        }
        streams.values().forEach(own -> own.stream().filter(stream -> revoked.contains(stream.credential))
                .forEach(LiveEventHub.this::end));
    }

    /**
     * One open stream, written by its own thread ({@link #write}) from a queue that the listener and the heartbeat
     * only put into: sends each event once, replays what the client missed (from the outbox, page by page) before
     * the live events, and ends when its client falls more than {@value #QUEUE_LIMIT_CHARS} characters behind.
     */
    private final class Stream {

        private static final Object END = new Object();
        /** Wakes the writer to read the outbox again (a lost LISTEN connection). */
        private static final Object WAKE = new Object();

        /** What the stream was opened with; its tenant is the credential's workspace. */
        private final Credential credential;
        private final SseEmitter emitter;
        /** Events ({@link LiveEvent}), comments ({@link String}), {@link #WAKE} and {@link #END}, in order. */
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final AtomicLong queuedChars = new AtomicLong();
        private final Set<UUID> sent = new LinkedHashSet<>();
        private volatile boolean ended;
        /** The outbox position the writer reads from when it replays or catches up. */
        private volatile long lastSeq;
        /** Whether the writer replays from the outbox before the live events (a resume, a lost LISTEN connection). */
        private volatile boolean replay;

        Stream(Credential credential, SseEmitter emitter) {
            this.credential = credential;
            this.emitter = emitter;
        }

        void startAfter(long seq, boolean resume) {
            lastSeq = seq;
            replay = resume;
        }

        /** Ends the response: the client sees the stream close (and, reconnecting, a 401). */
        void end() {
            ended = true;
            queue.clear();
            queue.offer(END);
        }

        void deliver(LiveEvent event) {
            put(event);
        }

        void comment(String text) {
            put(text);
        }

        /** After a lost LISTEN connection: the writer reads the outbox again from where the stream stands. */
        void catchUp() {
            replay = true;
            put(WAKE);
        }

        private void put(Object item) {
            if (ended) {
                return;
            }
            if (queuedChars.addAndGet(chars(item)) > QUEUE_LIMIT_CHARS) {
                log.info("A live event stream of account {} fell too far behind and is ended (it resumes from the outbox)",
                        credential.workspaceId());
                LiveEventHub.this.end(this);
                return;
            }
            queue.offer(item);
        }

        /** What an item of the queue counts for against {@link #QUEUE_LIMIT_CHARS}. */
        private static long chars(Object item) {
            return item instanceof LiveEvent event ? (event.body() == null ? 0 : event.body().length())
                    : item instanceof String text ? text.length() : 0;
        }

        /** The writer: runs until the stream ends, its client goes or the hub stops. */
        void write() {
            runningWriters.incrementAndGet();
            try {
                while (!ended) {
                    if (replay) {
                        replay = false;
                        replayFromOutbox();
                        continue;
                    }
                    Object next = queue.poll(1, TimeUnit.SECONDS);
                    if (next == null) {
                        continue;
                    }
                    queuedChars.addAndGet(-chars(next));
                    if (next instanceof LiveEvent event) {
                        sendOnce(event);
                    } else if (next instanceof String text) {
                        send(SseEmitter.event().comment(text));
                    }
                }
                emitter.complete();
            } catch (IOException | IllegalStateException gone) {
                close(this);
            } catch (InterruptedException stopping) {
                // the hub stops: the response ends with it
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (RuntimeException e) {
                log.warn("A live event stream of account {} failed: {}", credential.workspaceId(), e.toString());
                close(this);
                emitter.completeWithError(e);
            } finally {
                runningWriters.decrementAndGet();
            }
        }

        /** What the client missed, read from the outbox a page at a time (at most {@value #REPLAY_LIMIT}). */
        private void replayFromOutbox() throws IOException {
            int replayed = 0;
            while (!ended && replayed < REPLAY_LIMIT) {
                List<LiveEvent> page = outbox.eventsAfter(credential.workspaceId(), lastSeq, properties.resumeWindow(),
                        Math.min(REPLAY_PAGE, REPLAY_LIMIT - replayed));
                for (LiveEvent event : page) {
                    sendOnce(event);
                }
                replayed += page.size();
                if (page.size() < REPLAY_PAGE) {
                    return;
                }
            }
        }

        private void sendOnce(LiveEvent event) throws IOException {
            if (!sent.add(event.id())) {
                return;
            }
            if (sent.size() > REPLAY_LIMIT) {
                sent.remove(sent.iterator().next());
            }
            lastSeq = Math.max(lastSeq, event.seq());
            send(SseEmitter.event().id(event.id().toString()).name(event.type()).data(event.body()));
        }

        private void send(SseEmitter.SseEventBuilder event) throws IOException {
            if (!ended) {
                emitter.send(event);
            }
        }
    }
}
