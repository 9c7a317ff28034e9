package ai.calling.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

import ai.calling.auth.AddressReclaimed;
import ai.calling.common.ApiException;
import ai.calling.common.mail.BackgroundMail;
import ai.calling.common.mail.OutgoingMail;
import ai.calling.config.ApplicationProperties;
import ai.calling.config.SystemSettings;

/**
 * Password reset and e-mail verification by mailed single-use tokens. A reset request answers the
 * same whether or not the account exists; at most {@value #REQUESTS_PER_HOUR} requests an hour per
 * e-mail and per client address issue a token.
 */
@Service
public class AccountRecoveryService {

    static final int REQUESTS_PER_HOUR = 3;
    static final Duration VERIFICATION_VALIDITY = Duration.ofHours(48);
    private static final Logger log = LoggerFactory.getLogger(AccountRecoveryService.class);

    private final UserAccountRepository users;
    private final AuthTokenRepository tokens;
    private final SessionRepository sessions;
    private final PasswordPolicy passwordPolicy;
    private final PasswordEncoder passwordEncoder;
    private final SystemSettings settings;
    private final ApplicationProperties application;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final ApiKeyRepository apiKeys;
    private final BackgroundMail backgroundMail;

    private final ApplicationEventPublisher events;

    AccountRecoveryService(UserAccountRepository users, AuthTokenRepository tokens, SessionRepository sessions,
            PasswordPolicy passwordPolicy, PasswordEncoder passwordEncoder, SystemSettings settings,
            ApplicationProperties application, Clock clock, TransactionTemplate transactions, ApiKeyRepository apiKeys,
            BackgroundMail backgroundMail, ApplicationEventPublisher events) {
        this.events = events;
        this.transactions = transactions;
        this.backgroundMail = backgroundMail;
        this.apiKeys = apiKeys;
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.passwordPolicy = passwordPolicy;
        this.passwordEncoder = passwordEncoder;
        this.settings = settings;
        this.application = application;
        this.clock = clock;
    }

    /**
     * Issues a reset token and mails it, when the account exists and the hourly limits allow. The mail is sent
     * after the token's commit, with no transaction open, and a mail that cannot be sent is logged, not answered:
     * the answer is the same whether or not the account exists (an SMTP failure answered 500 for accounts only,
     * telling who has one, and a slow SMTP server held a pooled connection). It is sent on a thread of its own:
     * sent in the request, the mail server's round trip made the answer for an account later than for an unknown
     * address, and told them apart as well.
     */
    public void requestPasswordReset(String rawEmail, String ip) {
        OutgoingMail mail = transactions.execute(status -> issuePasswordReset(rawEmail, ip));
        if (mail != null) {
            backgroundMail.send(mail);
        }
    }

    private OutgoingMail issuePasswordReset(String rawEmail, String ip) {
        String email = AuthService.normaliseEmail(rawEmail);
        Instant now = clock.instant();
        AuthTokenRepository.RecentRequests recent = tokens.resetRequestsSince(email, ip, now.minus(Duration.ofHours(1)));
        UserAccount user = users.findByEmail(email).filter(UserAccount::isActive).orElse(null);
        boolean allowed = recent.byEmail() < REQUESTS_PER_HOUR && recent.byIp() < REQUESTS_PER_HOUR;
        boolean issue = allowed && user != null;
        tokens.recordResetRequest(email, ip, issue);
        if (!issue) {
            if (!allowed) {
                log.info("Password reset request over the hourly limit (email or address); no token issued");
            }
            return null;
        }
        int hours = Math.max(1, settings.intValue(SystemSettings.PASSWORD_RESET_TOKEN_EXPIRY_HOURS, 1));
        String token = Tokens.random();
        tokens.retireUnused(user.getId(), AuthTokenRepository.PASSWORD_RESET);
        tokens.create(user.getId(), AuthTokenRepository.PASSWORD_RESET, Tokens.sha256(token), now.plus(Duration.ofHours(hours)));
        return new OutgoingMail(email, "Reset your password",
                "Someone asked to reset the password of your account. If it was you, use this token within "
                        + hours + " hour(s):\n\n" + token + "\n\nor open " + link("/reset-password", token) + "\n\nIf it was not you, ignore this message.");
    }

    /**
     * Sets the new password and ends every session of the account. The mail's token proves the address, so the
     * address counts as confirmed from then on; if it was not confirmed before, whoever registered the account
     * may not be the address's owner (anyone can register with any address while verification is not
     * required), and the API keys made until then are revoked with the sessions: the owner reclaims the account
     * without its registrant's ways in.
     */
    @Transactional
    public void resetPassword(String token, String newPassword) {
        UUID userId = tokens.consume(AuthTokenRepository.PASSWORD_RESET, Tokens.sha256(token))
                .orElseThrow(() -> ApiException.invalidField("token", "is invalid, expired or already used"));
        UserAccount user = users.findById(userId).orElseThrow(() -> ApiException.invalidField("token", "is invalid"));
        passwordPolicy.check("newPassword", newPassword, user.getEmail());
        user.setPasswordHash(passwordEncoder.encode(newPassword));
        sessions.revokeAllOf(userId);
        if (!user.isEmailVerified()) {
            user.setEmailVerified(true);
            apiKeys.revokeAll(userId);
            apiKeys.revokeCreatedBy(userId);
            events.publishEvent(new AddressReclaimed(userId));
        }
    }

    @Transactional
    public void verifyEmail(String token) {
        UUID userId = tokens.consume(AuthTokenRepository.EMAIL_VERIFICATION, Tokens.sha256(token))
                .orElseThrow(() -> ApiException.invalidField("token", "is invalid, expired or already used"));
        users.findById(userId).ifPresent(user -> user.setEmailVerified(true));
    }

    /**
     * A page of the web app ({@code FRONTEND_BASE_URL}) with the token as its {@code token} query
     * parameter; the page posts it to {@code POST /api/auth/reset-password} or
     * {@code POST /api/auth/verify-email}. This backend serves no such page.
     */
    String link(String page, String token) {
        return application.frontendLink(page, token);
    }

    /**
     * Mails a new e-mail account its verification token, once its registration has committed and released its
     * connection: the token is committed first in a short transaction of its own, and the mail sent with none
     * open. (Sent from an after-commit listener, it held the registration's pooled connection, and a second one
     * for the token, for the whole of a slow mail server's answer: a burst of sign-ups emptied the pool.)
     */
    public void mailVerification(UUID userId, String email, String name) {
        Assert.state(!TransactionSynchronizationManager.isSynchronizationActive(),
                "The verification mail is sent with no transaction open (nor one just committed and still holding its connection)");
        String token = Tokens.random();
        transactions.executeWithoutResult(status -> tokens.create(userId, AuthTokenRepository.EMAIL_VERIFICATION,
                Tokens.sha256(token), clock.instant().plus(VERIFICATION_VALIDITY)));
        backgroundMail.sendOrLog(new OutgoingMail(email, "Verify your e-mail address",
                "Welcome, " + OutgoingMail.singleLine(name) + ". Confirm your e-mail address with this token within 48 hours:\n\n"
                        + token + "\n\nor open " + link("/verify-email", token)));
    }
}
