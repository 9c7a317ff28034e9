package ai.calling.team.internal;

import java.util.Map;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.auth.TeamMemberships;
import ai.calling.auth.TeamMemberships.Member;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageResponse;
import ai.calling.common.TeamRole;
import ai.calling.team.TeamDtos.AuditEntry;
import ai.calling.team.internal.InvitationService.RequestOrigin;

/**
 * The members of a workspace: roles, removal, leaving, the transfer of ownership, and the audit
 * log. Owners manage everyone, admins everyone but owners, nobody makes an owner except by a
 * transfer, and every change is recorded in the audit log in its own transaction. The founding
 * account holds the workspace's data and credits, so it never leaves (decision 0043).
 */
@Service
public class TeamService {

    private final TeamMemberships members;
    private final TeamAuditLog audit;
    private final TransactionTemplate transactions;

    TeamService(TeamMemberships members, TeamAuditLog audit, TransactionTemplate transactions) {
        this.members = members;
        this.audit = audit;
        this.transactions = transactions;
    }

    public PageResponse<Member> list(CurrentUser caller, PageRequest page) {
        return members.list(caller.id(), page);
    }

    public Member changeRole(CurrentUser caller, UUID userId, String rawRole, RequestOrigin origin) {
        TeamRole role = TeamRole.fromWire(rawRole).filter(r -> r != TeamRole.OWNER)
                .orElseThrow(() -> ApiException.invalidField("teamRole", "must be one of admin, member, viewer "
                        + "(ownership moves by POST /api/team/transfer-ownership)"));
        return transactions.execute(status -> {
            Locked locked = lockWithCaller(caller, userId);
            Member target = locked.target();
            if (!locked.callerRole().canManage(target.role()) || !locked.callerRole().canManage(role)) {
                throw ApiException.forbidden("Your role in this workspace cannot change a " + target.teamRole()
                        + " into a " + role.wireName());
            }
            members.changeRole(caller.id(), userId, role);
            audit.append(caller.id(), caller.memberId(), "team.member.role_changed", "member", userId.toString(),
                    Map.of("from", target.teamRole(), "to", role.wireName()), origin.ip(), origin.userAgent());
            return new Member(target.userId(), target.email(), target.name(), role.wireName(), target.joinedAt());
        });
    }

    /**
     * Removes a member, or, for one's own id, leaves. Either way the account is signed out at once and
     * its API keys revoked. An owner leaves only after transferring ownership.
     */
    public void remove(CurrentUser caller, UUID userId, RequestOrigin origin) {
        transactions.executeWithoutResult(status -> {
            Locked locked = lockWithCaller(caller, userId);
            Member target = locked.target();
            boolean leaving = userId.equals(caller.memberId());
            if (target.role() == TeamRole.OWNER) {
                throw leaving ? ApiException.conflict("Transfer the ownership to another member before you leave")
                        : ApiException.forbidden("The owner cannot be removed");
            }
            if (!leaving && !locked.callerRole().canManage(target.role())) {
                throw ApiException.forbidden("Your role in this workspace cannot remove a " + target.teamRole());
            }
            if (userId.equals(caller.id())) {
                throw ApiException.conflict("The workspace's founding account holds its data and credits and cannot "
                        + "leave it; transfer the ownership back to it, or close the workspace");
            }
            members.remove(caller.id(), userId);
            audit.append(caller.id(), caller.memberId(), leaving ? "team.member.left" : "team.member.removed", "member",
                    userId.toString(), Map.of("email", target.email(), "teamRole", target.teamRole()), origin.ip(),
                    origin.userAgent());
        });
    }

    /**
     * The target's membership, locked with the caller's own, both in one order (two members changing each other
     * at once wait for each other instead of deadlocking). The caller's role is then read again under its lock:
     * the one the request was authenticated with may have been changed meanwhile (an admin demoted to viewer by a
     * change that committed while this request was on its way still changed roles and removed members).
     */
    private Locked lockWithCaller(CurrentUser caller, UUID userId) {
        if (caller.memberId().compareTo(userId) < 0) {
            TeamRole callerRole = lockedRole(caller);
            return new Locked(members.lock(caller.id(), userId), callerRole);
        }
        Member target = members.lock(caller.id(), userId);
        return new Locked(target, lockedRole(caller));
    }

    private TeamRole lockedRole(CurrentUser caller) {
        return members.lockedRole(caller.id(), caller.memberId())
                .orElseThrow(() -> ApiException.forbidden("You are no longer a member of this workspace"));
    }

    /** A member's row and the caller's role, both locked. */
    private record Locked(Member target, TeamRole callerRole) {
    }

    /** The caller (the owner) becomes admin; the member becomes owner. */
    public void transferOwnership(CurrentUser caller, UUID userId, RequestOrigin origin) {
        if (caller.teamRole() != TeamRole.OWNER) {
            throw ApiException.forbidden("Only the owner can transfer the ownership");
        }
        if (userId.equals(caller.memberId())) {
            throw ApiException.invalidField("userId", "is you; name another member of the workspace");
        }
        transactions.executeWithoutResult(status -> {
            // both memberships in the one order every team change takes them (the caller's first, then the target's,
            // deadlocked with a change of the owner's role by the target)
            Locked locked = lockWithCaller(caller, userId);
            if (locked.callerRole() != TeamRole.OWNER) {
                throw ApiException.forbidden("Only the owner can transfer the ownership");
            }
            Member target = locked.target();
            members.transferOwnership(caller.id(), caller.memberId(), userId);
            audit.append(caller.id(), caller.memberId(), "team.ownership.transferred", "member", userId.toString(),
                    Map.of("from", caller.memberId().toString(), "previousRole", target.teamRole()), origin.ip(),
                    origin.userAgent());
        });
    }

    public PageResponse<AuditEntry> auditLog(CurrentUser caller, UUID actorUserId, String action, PageRequest page) {
        return transactions.execute(status -> new PageResponse<>(audit.page(caller.id(), actorUserId, action,
                page.getPageSize(), page.getOffset()), page.getPageNumber(), page.getPageSize(),
                audit.count(caller.id(), actorUserId, action)));
    }
}
