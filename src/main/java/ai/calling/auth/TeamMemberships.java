package ai.calling.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.auth.internal.AccountSelfService;
import ai.calling.auth.internal.AuthService;
import ai.calling.auth.internal.AuthService.ClientInfo;
import ai.calling.auth.internal.MembershipRepository;
import ai.calling.auth.internal.SuperAdminChanges;
import ai.calling.auth.internal.UserAccountRepository;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.TeamRole;

/**
 * The accounts of a workspace, for the team module: who belongs, with which role, and the changes
 * of membership. The rules about who may change whom are the caller's; this keeps the accounts
 * consistent (sessions, keys, the one owner). Changes run in the caller's transaction.
 */
@Service
public class TeamMemberships {

    private final MembershipRepository memberships;
    private final UserAccountRepository users;
    private final AuthService auth;
    private final AccountSelfService accounts;
    private final Clock clock;
    private final SuperAdminChanges superAdminChanges;

    TeamMemberships(MembershipRepository memberships, UserAccountRepository users, AuthService auth,
            AccountSelfService accounts, Clock clock, SuperAdminChanges superAdminChanges) {
        this.superAdminChanges = superAdminChanges;
        this.memberships = memberships;
        this.users = users;
        this.auth = auth;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public PageResponse<Member> list(UUID workspaceId, PageRequest page) {
        return new PageResponse<>(memberships.page(workspaceId, page.getPageSize(), page.getOffset()),
                page.getPageNumber(), page.getPageSize(), memberships.count(workspaceId));
    }

    /** A member of this workspace, locked until the transaction ends; 404 for anyone else. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Member lock(UUID workspaceId, UUID userId) {
        return memberships.lockMember(workspaceId, userId).orElseThrow(() -> ApiException.notFound("The member"));
    }

    /** The person's role in the workspace now, their membership locked until the transaction ends; empty for a non-member. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<TeamRole> lockedRole(UUID workspaceId, UUID userId) {
        return memberships.lockMember(workspaceId, userId).map(Member::role);
    }

    /** The e-mail address trimmed and lower-cased as accounts store it; 400 for {@code field} when malformed. */
    public static String validEmail(String field, String rawEmail) {
        return AuthService.validEmail(field, rawEmail);
    }

    /** Whether the workspace's founding account is active (a closed workspace takes no one in). */
    @Transactional(readOnly = true)
    public boolean workspaceOpen(UUID workspaceId) {
        return users.findById(workspaceId).filter(account -> account.isActive()).isPresent();
    }

    /** Whether any account, active or not, uses this (normalised) e-mail address. */
    @Transactional(readOnly = true)
    public boolean accountExists(String email) {
        return users.findByEmail(email).isPresent();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void changeRole(UUID workspaceId, UUID userId, TeamRole role) {
        memberships.changeRole(workspaceId, userId, role);
    }

    /** The owner becomes admin and the member becomes owner, in one step (one owner at any instant). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void transferOwnership(UUID workspaceId, UUID ownerId, UUID newOwnerId) {
        memberships.changeRole(workspaceId, ownerId, TeamRole.ADMIN);
        memberships.changeRole(workspaceId, newOwnerId, TeamRole.OWNER);
    }

    /**
     * Takes a member out of the workspace at once: the membership ends, the account is closed (its
     * e-mail freed, its name kept for what it created), every session ends and every key it made
     * is revoked, so the next request of theirs, by token or key, answers 401.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void remove(UUID workspaceId, UUID userId) {
        // a member can be a platform super_admin too: closing it must not leave the platform without one (the
        // lock before the account's row)
        superAdminChanges.lock();
        var account = users.lockById(userId).orElseThrow(() -> ApiException.notFound("The member"));
        accounts.refuseIfLastSuperAdmin(account);
        memberships.remove(workspaceId, userId);
        accounts.closeAccount(account, clock.instant(), account.getName());
    }

    /** The account of someone accepting an invitation, signed in; 409 if the e-mail has an account meanwhile. */
    @Transactional(propagation = Propagation.MANDATORY)
    public AuthResponse createMember(UUID workspaceId, TeamRole role, UUID invitedBy, String email, String name,
            String password, String ip, String userAgent) {
        return auth.createMemberAccount(workspaceId, role, invitedBy, email, name, password,
                new ClientInfo(ip, userAgent));
    }

    /** A member as the team's list shows them ({@code teamRole}: owner, admin, member or viewer). */
    public record Member(UUID userId, String email, String name, String teamRole, Instant joinedAt) {

        public TeamRole role() {
            return TeamRole.fromWire(teamRole).orElseThrow();
        }
    }
}
