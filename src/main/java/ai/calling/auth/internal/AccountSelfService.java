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
import ai.calling.common.TeamRole;

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
    private final MembershipRepository memberships;
    private final SuperAdminChanges superAdminChanges;
    private final Clock clock;

    AccountSelfService(UserAccountRepository users, SessionRepository sessions, AuthTokenRepository tokens,
            ApiKeyRepository apiKeys, PasswordPolicy passwordPolicy, PasswordEncoder passwordEncoder, ApplicationEventPublisher events,
            MembershipRepository memberships, Clock clock, SuperAdminChanges superAdminChanges) {
        this.superAdminChanges = superAdminChanges;
        this.memberships = memberships;
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
        return profile(user, memberships.placement(user.getId()).orElseThrow());
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
        var items = sessions.live(caller.memberId(), page.getPageSize(), page.getOffset()).stream()
                .map(s -> new SessionView(s.id(), s.ip(), s.userAgent(), s.createdAt(), s.lastUsedAt(), s.expiresAt(),
                        s.id().equals(caller.sessionId())))
                .toList();
        return new PageResponse<>(items, page.getPageNumber(), page.getPageSize(), sessions.countLive(caller.memberId()));
    }

    /** Ends one of the caller's live sessions (the current one too: that is a sign-out); 404 otherwise. */
    @Transactional
    public void endSession(CurrentUser caller, UUID sessionId) {
        if (sessions.revokeOwn(caller.memberId(), sessionId) == 0) {
            throw ApiException.notFound("The session");
        }
    }

    /**
     * Closes the workspace for good, which only its owner may do: the owner's password confirms it;
     * every account of the workspace becomes inactive (no sign-in, no token, no key of theirs works
     * any more), their names and e-mails are erased, every session ends, and {@link AccountClosed}
     * tells the other modules to erase and stop what is the workspace's, in this same transaction.
     * The last active super_admin cannot close their account (409).
     */
    @Transactional
    public void close(CurrentUser caller, String password) {
        // before any account's row: a member may be the platform's last super_admin
        superAdminChanges.lock();
        UserAccount workspace = users.lockById(caller.id()).orElseThrow(() -> ApiException.notFound("The user"));
        UserAccount owner = locked(caller);
        if (caller.teamRole() != TeamRole.OWNER) {
            throw ApiException.forbidden("Only the workspace's owner can close it; leave the team instead");
        }
        requirePassword(owner, "password", password);
        Instant now = clock.instant();
        for (UUID memberId : memberships.memberIds(workspace.getId())) {
            UserAccount member = users.lockById(memberId).orElseThrow();
            refuseIfLastSuperAdmin(member);
            closeAccount(member, now, CLOSED_NAME);
        }
        events.publishEvent(new AccountClosed(workspace.getId(), now));
    }

    /**
     * 409 when closing, deactivating or demoting {@code user} would leave the platform without an active
     * super_admin. The caller holds {@link SuperAdminChanges#lock} (taken before it read or locked {@code user}),
     * so two such changes at once run one after the other and cannot both pass.
     */
    public void refuseIfLastSuperAdmin(UserAccount user) {
        if (CurrentUser.SUPER_ADMIN.equals(user.getRole()) && user.isActive()
                && users.countActiveWithRole(CurrentUser.SUPER_ADMIN) <= 1) {
            throw ApiException.conflict("This is the last active super_admin; promote another one first");
        }
    }

    /**
     * Ends an account: inactive, e-mail erased (it can be used for a new account), password and
     * prompts gone, every session ended, every key it made or its workspace holds revoked.
     */
    public void closeAccount(UserAccount user, Instant now, String keptName) {
        user.setActive(false);
        user.setClosedAt(now);
        user.setName(keptName);
        user.setEmail("closed-" + user.getId() + "@closed.invalid");
        user.setPasswordHash(null);
        user.setOpenaiIndividualPromptId(null);
        user.setOpenaiCompletePromptId(null);
        users.flush();
        sessions.revokeAllOf(user.getId());
        // an inactive owner's keys fail already; revoked, they stay dead should the account ever come back
        apiKeys.revokeAll(user.getId());
        apiKeys.revokeCreatedBy(user.getId());
        tokens.retireUnused(user.getId(), AuthTokenRepository.PASSWORD_RESET);
        tokens.retireUnused(user.getId(), AuthTokenRepository.EMAIL_VERIFICATION);
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
        UserAccount user = users.lockById(caller.memberId()).orElseThrow(() -> ApiException.notFound("The user"));
        if (!user.isActive() || user.getClosedAt() != null) {
            throw ApiException.unauthorized("This account is closed or deactivated");
        }
        return user;
    }

    private UserAccount own(CurrentUser caller) {
        return users.findById(caller.memberId()).orElseThrow(() -> ApiException.notFound("The user"));
    }

    static ProfileView profile(UserAccount user, MembershipRepository.Placement placement) {
        return new ProfileView(user.getId(), user.getEmail(), user.getName(), user.getRole(), placement.credits(),
                user.isEmailVerified(), user.getAuthProvider(), user.isActive(), user.getCreatedAt(),
                placement.workspaceId(), placement.teamRole().wireName());
    }
}
