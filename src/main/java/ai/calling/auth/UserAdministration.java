package ai.calling.auth;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.internal.AccountPrompts;
import ai.calling.auth.internal.AccountSelfService;
import ai.calling.auth.internal.ClosedAccountsLookup;
import ai.calling.auth.internal.SessionRepository;
import ai.calling.auth.internal.SuperAdminChanges;
import ai.calling.auth.internal.UserAccount;
import ai.calling.auth.internal.UserAccountRepository;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;

/**
 * What the admin dashboard may do to accounts. Only a super_admin grants or removes admin roles and
 * changes a super_admin's account in any way; no admin changes its own role, active flag or
 * credits; the last active super_admin cannot be demoted; deactivation ends every session at once.
 * Callers (the admin module) audit each change in the same transaction.
 */
@Service
public class UserAdministration {

    public static final Set<String> ROLES = Set.of(CurrentUser.USER, CurrentUser.ADMIN, CurrentUser.SUPER_ADMIN);

    private final UserAccountRepository users;
    private final SessionRepository sessions;
    private final AccountPrompts prompts;
    private final AccountSelfService accounts;
    private final SuperAdminChanges superAdminChanges;
    private final ClosedAccountsLookup closedAccounts;

    UserAdministration(UserAccountRepository users, SessionRepository sessions, AccountPrompts prompts,
            AccountSelfService accounts, SuperAdminChanges superAdminChanges, ClosedAccountsLookup closedAccounts) {
        this.accounts = accounts;
        this.closedAccounts = closedAccounts;
        this.superAdminChanges = superAdminChanges;
        this.users = users;
        this.sessions = sessions;
        this.prompts = prompts;
    }

    @Transactional(readOnly = true)
    public AdminUserView get(UUID userId) {
        return view(find(userId));
    }

    /**
     * The admin tiers, checked before any admin changes an account: a super_admin's account is changed
     * by a super_admin only (403 for an admin), whatever the change. 404 when there is no such user.
     */
    @Transactional(readOnly = true)
    public void checkMayChange(CurrentUser actor, UUID userId) {
        UserAccount user = find(userId);
        if (CurrentUser.SUPER_ADMIN.equals(user.getRole()) && !actor.isSuperAdmin()) {
            throw ApiException.forbidden("Only a super_admin can act on a super_admin's account");
        }
    }

    /** No admin changes its own credits, role or active flag (403): another admin has to. */
    public static void checkNotOwn(CurrentUser actor, UUID userId, String what) {
        if (actor.memberId().equals(userId)) {
            throw ApiException.forbidden("No admin may change its own " + what + "; ask another admin");
        }
    }

    /** Returns the user as it was before and after, for the audit trail. */
    @Transactional
    public Change changeRole(CurrentUser actor, UUID userId, String role) {
        if (!actor.isSuperAdmin()) {
            throw ApiException.forbidden("Only a super_admin can grant or remove roles");
        }
        if (role == null || !ROLES.contains(role)) {
            throw ApiException.invalidField("role", "must be one of user, admin, super_admin");
        }
        checkNotOwn(actor, userId, "role");
        // before the accounts are read: what the previous such change committed is what is read, and the
        // actor's own role is checked again as it is now (it may have been taken away meanwhile)
        superAdminChanges.lock();
        if (!CurrentUser.SUPER_ADMIN.equals(find(actor.memberId()).getRole())) {
            throw ApiException.forbidden("Only a super_admin can grant or remove roles");
        }
        UserAccount user = find(userId);
        AdminUserView before = view(user);
        if (!CurrentUser.SUPER_ADMIN.equals(role)) {
            accounts.refuseIfLastSuperAdmin(user);
        }
        user.setRole(role);
        users.flush();
        return new Change(before, view(user));
    }

    @Transactional
    public Change setActive(CurrentUser actor, UUID userId, boolean active) {
        checkNotOwn(actor, userId, "active flag");
        // before the account is read (a super_admin's deactivation must not leave the platform without one)
        superAdminChanges.lock();
        checkMayChange(actor, userId);
        UserAccount user = find(userId);
        AdminUserView before = view(user);
        if (active && user.getClosedAt() != null) {
            throw ApiException.conflict("The owner closed this account; a closed account cannot be re-activated");
        }
        if (!active) {
            accounts.refuseIfLastSuperAdmin(user);
        }
        user.setActive(active);
        users.flush();
        if (!active) {
            sessions.revokeAllOf(userId);
        }
        return new Change(before, view(user));
    }

    /** Sets the account's own cap on calls in progress (0 to 1000); returns the one it had (null: the default). */
    @Transactional
    public Integer setMaxConcurrentCalls(UUID userId, int cap) {
        if (cap < 0 || cap > 1000) {
            throw ApiException.invalidField("maxConcurrentCalls", "must be between 0 and 1000");
        }
        UserAccount user = find(userId);
        Integer before = user.getMaxConcurrentCalls();
        user.setMaxConcurrentCalls(cap);
        users.flush();
        return before;
    }

    /** The account's own cap on calls in progress (null: the platform default applies). */
    @Transactional(readOnly = true)
    public Integer maxConcurrentCalls(UUID userId) {
        return find(userId).getMaxConcurrentCalls();
    }

    /** An admin ends every session of the user at once; returns how many were live. */
    @Transactional
    public int revokeSessions(CurrentUser actor, UUID userId) {
        checkMayChange(actor, userId);
        return sessions.revokeAllOf(userId);
    }

    /** The user's own OpenAI prompt ids (null when the system default applies), changes of this transaction included. */
    @Transactional(readOnly = true)
    public PromptIds promptIds(UUID userId) {
        UserAccount user = find(userId);
        return new PromptIds(user.getOpenaiIndividualPromptId(), user.getOpenaiCompletePromptId());
    }

    /**
     * The user's own OpenAI prompt ids as written, read on their own (no transaction, no account loaded): for
     * the lead analysis, which asks before every call it analyses. Does not see a change that a caller's
     * transaction has not written yet; readers inside a transaction use {@link #promptIds}.
     */
    public PromptIds storedPromptIds(UUID userId) {
        return prompts.of(userId).orElseThrow(() -> ApiException.notFound("The user"));
    }

    /** Whether the account has been closed by its owner (false for no such account). */
    public boolean isClosed(UUID userId) {
        return closedAccounts.isClosed(userId);
    }

    /** Sets (or, with null, clears back to the default) the user's prompt ids; returns the previous ones. */
    @Transactional
    public PromptIds setPromptIds(UUID userId, String individualPromptId, String completePromptId) {
        UserAccount user = find(userId);
        PromptIds before = new PromptIds(user.getOpenaiIndividualPromptId(), user.getOpenaiCompletePromptId());
        user.setOpenaiIndividualPromptId(individualPromptId);
        user.setOpenaiCompletePromptId(completePromptId);
        return before;
    }

    private UserAccount find(UUID userId) {
        return users.findById(userId).orElseThrow(() -> ApiException.notFound("The user"));
    }

    static AdminUserView view(UserAccount u) {
        return new AdminUserView(u.getId(), u.getEmail(), u.getName(), u.getRole(), u.getCredits(), u.isActive(),
                u.isEmailVerified(), u.getAuthProvider(), u.getCreatedAt());
    }

    public record AdminUserView(UUID id, String email, String name, String role, int credits, boolean active,
            boolean emailVerified, String authProvider, Instant createdAt) {
    }

    public record Change(AdminUserView before, AdminUserView after) {
    }

    public record PromptIds(String individualPromptId, String completePromptId) {
    }
}
