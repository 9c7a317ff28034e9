package ai.calling.common.mail;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Mails that nobody waits for, sent on a (virtual) thread of their own: the request that asked for one answers
 * at once, whatever the mail server does, and a failure is logged for the operator. A password reset's mail
 * sent inside the request made an address with an account answer later than one without (the mail server's
 * round trip): who has an account could be told apart by timing.
 */
@Component
public class BackgroundMail implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundMail.class);

    private final Mailer mailer;
    private volatile ExecutorService senders;

    BackgroundMail(Mailer mailer) {
        this.mailer = mailer;
    }

    /** Sends the mail on its own thread (on this one while the application is not running). */
    public void send(OutgoingMail mail) {
        ExecutorService running = senders;
        if (running == null) {
            sendOrLog(mail);
            return;
        }
        try {
            running.execute(() -> sendOrLog(mail));
        } catch (RejectedExecutionException stopping) {
            sendOrLog(mail);
        }
    }

    /** Sends the mail on this thread; a failure nobody is waiting to hear about is logged for the operator. */
    public void sendOrLog(OutgoingMail mail) {
        try {
            mailer.send(mail);
        } catch (RuntimeException e) {
            log.error("The mail \"{}\" could not be sent: {}", mail.subject(), e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mail-", 0).factory());
    }

    @Override
    public synchronized void stop() {
        ExecutorService running = senders;
        senders = null;
        if (running != null) {
            running.shutdown();
            try {
                // the mails already asked for go out (a mail server's timeouts are seconds)
                if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("Mails still being sent at shutdown were abandoned");
                    running.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.shutdownNow();
            }
        }
    }

    /**
     * Started before the web server takes requests and stopped after it has drained them (its graceful shutdown
     * is at {@code DEFAULT_PHASE - 1024}, the server's stop at {@code - 2048}): a request still being answered
     * does not find the senders gone.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean isRunning() {
        return senders != null;
    }
}
