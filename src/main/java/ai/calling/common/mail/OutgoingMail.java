package ai.calling.common.mail;

import java.util.regex.Pattern;

/**
 * One plain-text e-mail to one recipient. The recipient and subject become headers, so they are
 * kept on one line: a CR or LF in them (a header injection) is replaced by a space. Text that came
 * from a user and goes into the body (a name) is put in with {@link #singleLine}, so it cannot add
 * lines of its own to the message.
 */
public record OutgoingMail(String to, String subject, String text) {

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");
    private static final int MAX_INLINE = 200;

    public OutgoingMail {
        to = singleLine(to);
        subject = singleLine(subject);
    }

    /** User text for a header or a line of the body: control characters (CR, LF, tab ...) become one space. */
    public static String singleLine(String text) {
        if (text == null) {
            return null;
        }
        String line = CONTROL.matcher(text).replaceAll(" ").strip();
        return line.length() > MAX_INLINE ? line.substring(0, MAX_INLINE) : line;
    }
}
