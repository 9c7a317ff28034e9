package ai.calling.team;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.auth.TeamMemberships.Member;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;
import ai.calling.team.TeamDtos.AcceptInvitationRequest;
import ai.calling.team.TeamDtos.AuditEntry;
import ai.calling.team.TeamDtos.ChangeRoleRequest;
import ai.calling.team.TeamDtos.InvitationView;
import ai.calling.team.TeamDtos.InviteRequest;
import ai.calling.team.TeamDtos.TransferOwnershipRequest;
import ai.calling.team.internal.InvitationService;
import ai.calling.team.internal.InvitationService.RequestOrigin;
import ai.calling.team.internal.TeamService;

/** The workspace's members, invitations and audit log; managed by a person (an API key is refused, 403). */
@RestController
@RequestMapping("/api/team")
@RequiresTeamRole(TeamRole.ADMIN)
class TeamController {

    private final TeamService team;
    private final InvitationService invitations;

    TeamController(TeamService team, InvitationService invitations) {
        this.team = team;
        this.invitations = invitations;
    }

    @Operation(summary = "List the workspace's members")
    @GetMapping("/members")
    @RequiresTeamRole(TeamRole.VIEWER)
    PageResponse<Member> members(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return team.list(user, PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Change a member's role (admin, member or viewer)", description = """
            Owners change anyone's role, admins anyone's but an owner's. Nobody becomes owner this way: \
            ownership moves by POST /api/team/transfer-ownership.""")
    @PatchMapping("/members/{userId}")
    Member changeRole(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID userId,
            @Valid @RequestBody ChangeRoleRequest body, HttpServletRequest request) {
        return team.changeRole(user, userId, body.teamRole(), origin(request));
    }

    @Operation(summary = "Remove a member, or leave the workspace (your own id)", description = """
            The member is signed out at once (their next request answers 401) and the API keys they made \
            are revoked. Any member may leave; an owner transfers the ownership first (409).""")
    @ApiResponse(responseCode = "409", description = "An owner leaving, or the founding account")
    @DeleteMapping("/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresTeamRole(TeamRole.VIEWER)
    void remove(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID userId, HttpServletRequest request) {
        team.remove(user, userId, origin(request));
    }

    @Operation(summary = "Make another member the owner (you become admin)")
    @PostMapping("/transfer-ownership")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresTeamRole(TeamRole.OWNER)
    void transferOwnership(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody TransferOwnershipRequest body,
            HttpServletRequest request) {
        team.transferOwnership(user, body.userId(), origin(request));
    }

    @Operation(summary = "Invite someone by e-mail", description = """
            Mails a link to FRONTEND_BASE_URL/accept-invitation?token=..., valid for 7 days; the page posts \
            the token, a name and a password to POST /api/team/invitations/accept.""")
    @ApiResponse(responseCode = "409", description = "The e-mail has an account already, or a pending invitation")
    @ApiResponse(responseCode = "503", description = "The mail server did not take the invitation's mail; nothing was kept")
    @PostMapping("/invitations")
    @ResponseStatus(HttpStatus.CREATED)
    InvitationView invite(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody InviteRequest body,
            HttpServletRequest request) {
        return invitations.invite(user, body.email(), body.teamRole(), origin(request));
    }

    @Operation(summary = "List the workspace's invitations, newest first")
    @GetMapping("/invitations")
    PageResponse<InvitationView> invitations(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return invitations.list(user, PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Revoke a pending invitation")
    @ApiResponse(responseCode = "409", description = "The invitation was accepted or revoked already")
    @DeleteMapping("/invitations/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id, HttpServletRequest request) {
        invitations.revoke(user, id, origin(request));
    }

    @Operation(summary = "Mail a pending invitation again, with a new link (the old one stops working)")
    @ApiResponse(responseCode = "409", description = "The invitation was accepted or revoked already")
    @ApiResponse(responseCode = "503", description = "The mail server did not take the mail; the invitation stays pending")
    @PostMapping("/invitations/{id}/resend")
    @ResponseStatus(HttpStatus.OK)
    InvitationView resend(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id, HttpServletRequest request) {
        return invitations.resend(user, id, origin(request));
    }

    @Operation(summary = "Accept an invitation: creates your account in the workspace and signs you in", description = """
            No sign-in needed. A used, revoked or expired token answers 400.""")
    @PostMapping("/invitations/accept")
    @RequiresTeamRole(TeamRole.VIEWER)
    @ResponseStatus(HttpStatus.CREATED)
    AuthResponse accept(@Valid @RequestBody AcceptInvitationRequest body, HttpServletRequest request) {
        return invitations.accept(body.token(), body.name(), body.password(), origin(request));
    }

    @Operation(summary = "What the workspace's members did, newest first")
    @GetMapping("/audit-log")
    PageResponse<AuditEntry> auditLog(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) UUID actorUserId, @RequestParam(required = false) String action,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return team.auditLog(user, actorUserId, action, PageParams.of(page, size, Sort.unsorted()));
    }

    private static RequestOrigin origin(HttpServletRequest request) {
        return new RequestOrigin(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
    }
}
