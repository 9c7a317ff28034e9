package ai.calling.common.mail;

/**
 * The one port through which the product sends e-mail. SMTP when {@code spring.mail.host} is set,
 * otherwise {@link LoggingMailer}, which writes the message to the log (so a developer sees reset
 * and verification tokens without a mail server).
 */
public interface Mailer {

    void send(OutgoingMail mail);
}
