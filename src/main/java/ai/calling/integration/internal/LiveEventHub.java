package ai.calling.integration.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 */
@Component
public class LiveEventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveEventHub.class);
    private static final String CHANNEL = "outbound_events";
    private static final int REPLAY_LIMIT = 10_000;
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
        Stream stream = new Stream(credential, emitter);
        Set<Stream> own = streams.computeIfAbsent(userId, id -> new CopyOnWriteArraySet<>());
        synchronized (own) {
            if (own.size() >= properties.maxStreamsPerUser()) {
                throw ApiException.tooManyRequests("At most " + properties.maxStreamsPerUser()
                        + " live event streams per account; close one first", 5);
            }
            own.add(stream);
        }
        emitter.onCompletion(() -> close(stream));
        emitter.onTimeout(emitter::complete);
        emitter.onError(error -> close(stream));
        try {
            outbox.readerSeen(userId);
            readersTouched.put(userId, Instant.now());
            stream.comment("connected");
            Optional<Long> after = lastEventId == null ? Optional.empty() : outbox.seqOf(userId, lastEventId);
            List<LiveEvent> missed = after.map(seq -> outbox.eventsAfter(userId, seq, properties.resumeWindow(), REPLAY_LIMIT))
                    .orElse(List.of());
            stream.replayed(missed);
        } catch (RuntimeException e) {
            close(stream);
            throw e;
        }
        return emitter;
    }

    /** Streams open on this instance for the tenant (for tests and metrics). */
    public int openStreams(UUID userId) {
        return streams.getOrDefault(userId, Set.of()).size();
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
        streams.values().forEach(own -> own.forEach(stream -> stream.emitter.complete()));
        streams.clear();
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

    /** After a lost LISTEN connection: every stream gets what it may have missed meanwhile. */
    private void catchUp() {
        streams.forEach((userId, own) -> own.forEach(stream -> {
            long after = stream.lastSeq();
            if (after > 0) {
                outbox.eventsAfter(userId, after, properties.resumeWindow(), REPLAY_LIMIT).forEach(stream::deliver);
            }
        }));
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
        streams.values().forEach(own -> own.stream().filter(stream -> revoked.contains(stream.credential)).forEach(stream -> {
            close(stream);
            stream.end();
        }));
    }

    /** One open stream: sends each event once, and holds live events back while the missed ones are replayed. */
    private final class Stream {

        /** What the stream was opened with; its tenant is the credential's workspace. */
        private final Credential credential;
        private final SseEmitter emitter;
        private final Set<UUID> sent = new LinkedHashSet<>();
        private final Deque<LiveEvent> heldBack = new ArrayDeque<>();
        private boolean replaying = true;
        private long lastSeq;

        Stream(Credential credential, SseEmitter emitter) {
            this.credential = credential;
            this.emitter = emitter;
        }

        /** Ends the response: the client sees the stream close (and, reconnecting, a 401). */
        synchronized void end() {
            emitter.complete();
        }

        synchronized void replayed(List<LiveEvent> missed) {
            missed.forEach(this::send);
            replaying = false;
            while (!heldBack.isEmpty()) {
                send(heldBack.poll());
            }
        }

        synchronized void deliver(LiveEvent event) {
            if (replaying) {
                heldBack.add(event);
            } else {
                send(event);
            }
        }

        synchronized long lastSeq() {
            return lastSeq;
        }

        private void send(LiveEvent event) {
            if (!sent.add(event.id())) {
                return;
            }
            if (sent.size() > REPLAY_LIMIT) {
                sent.remove(sent.iterator().next());
            }
            lastSeq = Math.max(lastSeq, event.seq());
            try {
                emitter.send(SseEmitter.event().id(event.id().toString()).name(event.type()).data(event.body()));
            } catch (IOException | IllegalStateException gone) {
                close(this);
            }
        }

        synchronized void comment(String text) {
            try {
                emitter.send(SseEmitter.event().comment(text));
            } catch (IOException | IllegalStateException gone) {
                close(this);
            }
        }
    }
}
