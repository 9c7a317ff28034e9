package ai.calling.auth.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.AccountClosed;
import ai.calling.auth.AuthDtos.ProfileView;
import ai.calling.auth.AuthDtos.SessionView;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageResponse;

/**
 * What a signed-in user does to their own account: name, password, sessions, closure. Every change
 * checks all of its input before it writes anything.
 */
@Service
public class AccountSelfService {

    static final String CLOSED_NAME = "Closed account";

    private final UserAccountRepository users;
    private final SessionRepository sessions;
    private final AuthTokenRepository tokens;
    private final ApiKeyRepository apiKeys;
    private final PasswordPolicy passwordPolicy;
    private final PasswordEncoder passwordEncoder;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountSelfService(UserAccountRepository users, SessionRepository sessions, AuthTokenRepository tokens,
            ApiKeyRepository apiKeys, PasswordPolicy passwordPolicy, PasswordEncoder passwordEncoder, ApplicationEventPublisher events,
            Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.passwordPolicy = passwordPolicy;
        this.passwordEncoder = passwordEncoder;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public ProfileView updateProfile(CurrentUser caller, String name) {
        UserAccount user = own(caller);
        user.setName(name.trim());
        users.flush();
        return profile(user);
    }

    /**
     * Needs the current password; ends every other session of the account (their refresh tokens
     * stop working with them), and keeps the one that made the change.
     */
    @Transactional
    public void changePassword(CurrentUser caller, String currentPassword, String newPassword) {
        UserAccount user = locked(caller);
        requirePassword(user, "currentPassword", currentPassword);
        passwordPolicy.check("newPassword", newPassword, user.getEmail());
        user.setPasswordHash(passwordEncoder.encode(newPassword));
        users.flush();
        sessions.revokeAllBut(user.getId(), caller.sessionId());
        tokens.retireUnused(user.getId(), AuthTokenRepository.PASSWORD_RESET);
    }

    @Transactional(readOnly = true)
    public PageResponse<SessionView> sessions(CurrentUser caller, PageRequest page) {
        var items = sessions.live(caller.id(), page.getPageSize(), page.getOffset()).stream()
                .map(s -> new SessionView(s.id(), s.ip(), s.userAgent(), s.createdAt(), s.lastUsedAt(), s.expiresAt(),
                        s.id().equals(caller.sessionId())))
                .toList();
        return new PageResponse<>(items, page.getPageNumber(), page.getPageSize(), sessions.countLive(caller.id()));
    }

    /** Ends one of the caller's live sessions (the current one too: that is a sign-out); 404 otherwise. */
    @Transactional
    public void endSession(CurrentUser caller, UUID sessionId) {
        if (sessions.revokeOwn(caller.id(), sessionId) == 0) {
            throw ApiException.notFound("The session");
        }
    }

    /**
     * Closes the account for good: the password confirms it; the account becomes inactive (no
     * sign-in, no token, no key of its works any more), its name and e-mail are erased, every
     * session ends, and {@link AccountClosed} tells the other modules to erase and stop what is
     * theirs, in this same transaction. The last active super_admin cannot close their account (409).
     */
    @Transactional
    public void close(CurrentUser caller, String password) {
        UserAccount user = locked(caller);
        requirePassword(user, "password", password);
        if (CurrentUser.SUPER_ADMIN.equals(user.getRole()) && users.countActiveWithRole(CurrentUser.SUPER_ADMIN) <= 1) {
            throw ApiException.conflict("This is the last active super_admin; promote another one first");
        }
        Instant now = clock.instant();
        user.setActive(false);
        user.setClosedAt(now);
        user.setName(CLOSED_NAME);
        user.setEmail("closed-" + user.getId() + "@closed.invalid");
        user.setPasswordHash(null);
        user.setOpenaiIndividualPromptId(null);
        user.setOpenaiCompletePromptId(null);
        users.flush();
        sessions.revokeAllOf(user.getId());
        // an inactive owner's keys fail already; revoked, they stay dead should the account ever come back
        apiKeys.revokeAll(user.getId());
        tokens.retireUnused(user.getId(), AuthTokenRepository.PASSWORD_RESET);
        tokens.retireUnused(user.getId(), AuthTokenRepository.EMAIL_VERIFICATION);
        events.publishEvent(new AccountClosed(user.getId(), now));
    }

    private void requirePassword(UserAccount user, String field, String password) {
        if (user.getPasswordHash() == null) {
            throw ApiException.invalidField(field, "this account signs in with " + user.getAuthProvider()
                    + " and has no password; set one with the password-reset mail first");
        }
        if (!passwordEncoder.matches(password, user.getPasswordHash())) {
            throw ApiException.invalidField(field, "is incorrect");
        }
    }

    /**
     * The caller's account under its row lock; a request that waited for a closure to commit finds
     * the account closed and answers as any request of a closed account does (401).
     */
    private UserAccount locked(CurrentUser caller) {
        UserAccount user = users.lockById(caller.id()).orElseThrow(() -> ApiException.notFound("The user"));
        if (!user.isActive() || user.getClosedAt() != null) {
            throw ApiException.unauthorized("This account is closed or deactivated");
        }
        return user;
    }

    private UserAccount own(CurrentUser caller) {
        return users.findById(caller.id()).orElseThrow(() -> ApiException.notFound("The user"));
    }

    static ProfileView profile(UserAccount user) {
        return new ProfileView(user.getId(), user.getEmail(), user.getName(), user.getRole(), user.getCredits(),
                user.isEmailVerified(), user.getAuthProvider(), user.isActive(), user.getCreatedAt());
    }
}
