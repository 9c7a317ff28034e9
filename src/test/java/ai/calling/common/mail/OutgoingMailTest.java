package ai.calling.common.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 20, point 8: user text cannot add headers or lines to a mail. */
@Tag("unit")
class OutgoingMailTest {

    @Test
    void recipientAndSubjectStayOnOneLine() {
        OutgoingMail mail = new OutgoingMail("eve@example.test\r\nBcc: victim@example.test",
                "Welcome\r\nBcc: victim@example.test", "body\nkeeps its lines");

        assertThat(mail.to()).isEqualTo("eve@example.test Bcc: victim@example.test");
        assertThat(mail.subject()).isEqualTo("Welcome Bcc: victim@example.test");
        assertThat(mail.text()).isEqualTo("body\nkeeps its lines");
    }

    @Test
    void userTextInABodyIsOneLine() {
        assertThat(OutgoingMail.singleLine("Bob\r\n\r\nYour account is locked: open http://evil.example"))
                .isEqualTo("Bob Your account is locked: open http://evil.example");
        assertThat(OutgoingMail.singleLine("Ann\u2028Lee\tX\u0000")).isEqualTo("Ann Lee X");
        assertThat(OutgoingMail.singleLine("n".repeat(500))).hasSize(200);
    }
}
