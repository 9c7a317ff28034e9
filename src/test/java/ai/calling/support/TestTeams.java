package ai.calling.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.common.mail.OutgoingMail;
import ai.calling.support.TestUsers.SignedIn;

/** Brings people into a workspace through the real API: an invitation, its mail, its acceptance. */
public final class TestTeams {

    private static final Pattern TOKEN = Pattern.compile("/accept-invitation\\?token=([A-Za-z0-9_%-]+)");

    private TestTeams() {
    }

    /** A new member of the inviter's workspace with this role (admin, member or viewer), signed in. */
    public static SignedIn join(Http http, LoggingMailer mailer, SignedIn inviter, String teamRole) {
        String email = teamRole + "-" + UUID.randomUUID() + "@example.test";
        Http.Response invited = http.post("/api/team/invitations", Map.of("email", email, "teamRole", teamRole),
                inviter.auth());
        if (invited.status() != 201) {
            throw new IllegalStateException("invitation failed: " + invited.status() + " " + invited.body());
        }
        return accept(http, email, tokenMailedTo(mailer, email));
    }

    public static SignedIn accept(Http http, String email, String token) {
        Http.Response accepted = http.post("/api/team/invitations/accept",
                Map.of("token", token, "name", "Team Member", "password", TestUsers.PASSWORD));
        if (accepted.status() != 201) {
            throw new IllegalStateException("acceptance failed: " + accepted.status() + " " + accepted.body());
        }
        return SignedIn.from(email, accepted.json());
    }

    /** The token of the latest invitation mailed to this address, read from its link. */
    public static String tokenMailedTo(LoggingMailer mailer, String email) {
        List<OutgoingMail> mails = mailer.recent().stream().filter(mail -> mail.to().equals(email)).toList();
        if (mails.isEmpty()) {
            throw new IllegalStateException("no mail to " + email);
        }
        Matcher link = TOKEN.matcher(mails.getLast().text());
        if (!link.find()) {
            throw new IllegalStateException("no invitation link in " + mails.getLast().text());
        }
        return URLDecoder.decode(link.group(1), StandardCharsets.UTF_8);
    }
}
