package ai.calling.common.mail;

/** One plain-text e-mail to one recipient. */
public record OutgoingMail(String to, String subject, String text) {
}
