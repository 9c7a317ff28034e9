package ai.calling.common.mail;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development mailer: logs each message and keeps the last 100 in memory, where the test suite reads
 * the tokens it would have received. Never active when an SMTP host is configured.
 */
public class LoggingMailer implements Mailer {

    private static final Logger log = LoggerFactory.getLogger(LoggingMailer.class);
    private static final int KEPT = 100;

    private final List<OutgoingMail> recent = new ArrayList<>();

    @Override
    public synchronized void send(OutgoingMail mail) {
        log.info("E-mail (not sent: no spring.mail.host configured) to {}: {}\n{}", mail.to(), mail.subject(), mail.text());
        recent.add(mail);
        if (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    /** The messages "sent" most recently, oldest first. */
    public synchronized List<OutgoingMail> recent() {
        return List.copyOf(recent);
    }
}
