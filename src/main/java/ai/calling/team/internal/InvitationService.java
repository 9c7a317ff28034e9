package ai.calling.team.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.auth.TeamMemberships;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;
import ai.calling.common.Hashes;
import ai.calling.common.PageResponse;
import ai.calling.common.TeamRole;
import ai.calling.common.mail.Mailer;
import ai.calling.common.mail.OutgoingMail;
import ai.calling.config.ApplicationProperties;
import ai.calling.team.TeamDtos.InvitationView;
import ai.calling.team.internal.InvitationRepository.Invitation;

/**
 * Invitations to a workspace: an e-mail with a single-use token valid for {@link #VALIDITY}, whose
 * acceptance creates the invited person's account inside the workspace. The mail is sent after the
 * invitation has committed, outside any transaction; a mail that fails is sent again by resending.
 */
@Service
public class InvitationService {

    private static final Logger log = LoggerFactory.getLogger(InvitationService.class);

    /** How long an invitation's link works; resending renews it. */
    static final Duration VALIDITY = Duration.ofDays(7);
    static final String ACCEPT_PAGE = "/accept-invitation";
    private static final String BAD_TOKEN = "is invalid, expired, revoked or already used";

    private final InvitationRepository invitations;
    private final TeamMemberships members;
    private final TeamAuditLog audit;
    private final Mailer mailer;
    private final ApplicationProperties application;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    InvitationService(InvitationRepository invitations, TeamMemberships members, TeamAuditLog audit, Mailer mailer,
            ApplicationProperties application, TransactionTemplate transactions, Clock clock) {
        this.invitations = invitations;
        this.members = members;
        this.audit = audit;
        this.mailer = mailer;
        this.application = application;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** 409 when the e-mail has an account (in any workspace) or a pending invitation here. */
    public InvitationView invite(CurrentUser caller, String rawEmail, String rawRole, RequestOrigin origin) {
        String email = TeamMemberships.validEmail("email", rawEmail);
        TeamRole role = invitableRole(caller, rawRole);
        if (members.accountExists(email)) {
            throw ApiException.conflict("An account with this e-mail address already exists; a person belongs to "
                    + "one workspace");
        }
        String token = newToken();
        Invitation invitation = transactions.execute(status -> {
            Invitation created = invitations.insert(caller.id(), email, role.wireName(), Hashes.sha256(token),
                    clock.instant().plus(VALIDITY), caller.memberId())
                    .orElseThrow(() -> ApiException.conflict("This e-mail address already has a pending invitation; "
                            + "resend it instead"));
            audit.append(caller.id(), caller.memberId(), "team.invitation.created", "invitation",
                    created.id().toString(), Map.of("email", email, "teamRole", role.wireName()), origin.ip(),
                    origin.userAgent());
            return created;
        });
        if (!mail(invitation, token)) {
            // nothing kept: the invitation is revoked (its link was never sent), so that asking again invites again
            transactions.executeWithoutResult(status -> {
                // unless someone resent (or it was accepted) meanwhile: that link went out, and stands
                if (invitations.revokeIfUnchanged(invitation.id(), Hashes.sha256(token))) {
                    audit.append(caller.id(), caller.memberId(), "team.invitation.revoked", "invitation",
                            invitation.id().toString(), Map.of("email", email, "reason",
                                    "the invitation mail could not be sent"), origin.ip(), origin.userAgent());
                }
            });
            throw mailNotSent("nothing was kept; invite again later");
        }
        return view(invitation);
    }

    public PageResponse<InvitationView> list(CurrentUser caller, PageRequest page) {
        return transactions.execute(status -> new PageResponse<>(invitations.page(caller.id(), page.getPageSize(),
                page.getOffset()).stream().map(this::view).toList(), page.getPageNumber(), page.getPageSize(),
                invitations.count(caller.id())));
    }

    /** Revokes a pending invitation: its link stops working. 409 once accepted or revoked. */
    public void revoke(CurrentUser caller, UUID id, RequestOrigin origin) {
        transactions.executeWithoutResult(status -> {
            Invitation invitation = pending(caller, id);
            invitations.revoke(invitation.id());
            audit.append(caller.id(), caller.memberId(), "team.invitation.revoked", "invitation", id.toString(),
                    Map.of("email", invitation.email()), origin.ip(), origin.userAgent());
        });
    }

    /** Mails a new link (the previous one stops working) valid for another {@link #VALIDITY}. */
    public InvitationView resend(CurrentUser caller, UUID id, RequestOrigin origin) {
        String token = newToken();
        Invitation renewed = transactions.execute(status -> {
            Invitation invitation = pending(caller, id);
            audit.append(caller.id(), caller.memberId(), "team.invitation.resent", "invitation", id.toString(),
                    Map.of("email", invitation.email()), origin.ip(), origin.userAgent());
            return invitations.renew(invitation.id(), Hashes.sha256(token), clock.instant().plus(VALIDITY),
                    caller.memberId());
        });
        if (!mail(renewed, token)) {
            throw mailNotSent("the invitation stays pending, and its earlier link no longer works; resend it later");
        }
        return view(renewed);
    }

    /**
     * Creates the invited person's account in the workspace and signs them in. A used, revoked or
     * expired token, or one of a workspace closed since, answers 400; so does one whose inviter is no
     * longer a member or no longer has a role that may grant the invitation's (removed, or demoted since:
     * their invitations lapse with their rights); so does a weak password, and the invitation then stays usable.
     */
    public AuthResponse accept(String token, String name, String password, RequestOrigin origin) {
        return transactions.execute(status -> {
            Invitation invitation = invitations.lockByToken(Hashes.sha256(token))
                    .filter(Invitation::pending)
                    .filter(found -> found.expiresAt().isAfter(clock.instant()))
                    .filter(found -> members.workspaceOpen(found.workspaceId()))
                    .filter(this::inviterMayStillGrant)
                    .orElseThrow(() -> ApiException.invalidField("token", BAD_TOKEN));
            AuthResponse signedIn = members.createMember(invitation.workspaceId(),
                    TeamRole.fromWire(invitation.teamRole()).orElseThrow(), invitation.invitedBy(), invitation.email(),
                    name, password, origin.ip(), origin.userAgent());
            invitations.accept(invitation.id(), signedIn.user().id());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("email", invitation.email());
            details.put("teamRole", invitation.teamRole());
            details.put("invitationId", invitation.id());
            audit.append(invitation.workspaceId(), signedIn.user().id(), "team.invitation.accepted", "member",
                    signedIn.user().id().toString(), details, origin.ip(), origin.userAgent());
            return signedIn;
        });
    }

    /** Whether whoever sent the invitation is still a member whose role may grant its role (locked until the commit). */
    private boolean inviterMayStillGrant(Invitation invitation) {
        TeamRole granted = TeamRole.fromWire(invitation.teamRole()).orElseThrow();
        return invitation.invitedBy() == null || members.lockedRole(invitation.workspaceId(), invitation.invitedBy())
                .filter(role -> role.canManage(granted)).isPresent();
    }

    private Invitation pending(CurrentUser caller, UUID id) {
        Invitation invitation = invitations.lock(caller.id(), id)
                .orElseThrow(() -> ApiException.notFound("The invitation"));
        if (!invitation.pending()) {
            throw ApiException.conflict("The invitation has been " + invitation.status());
        }
        return invitation;
    }

    /** The role to invite with, which the caller must be allowed to give: never owner. */
    private static TeamRole invitableRole(CurrentUser caller, String rawRole) {
        TeamRole role = TeamRole.fromWire(rawRole).filter(r -> r != TeamRole.OWNER)
                .orElseThrow(() -> ApiException.invalidField("teamRole", "must be one of admin, member, viewer "
                        + "(ownership moves by a transfer)"));
        if (!caller.teamRole().canManage(role)) {
            throw ApiException.forbidden("Your role in this workspace cannot invite a " + role.wireName());
        }
        return role;
    }

    /** Mails the invitation's link, with no transaction open; false when the mail could not be sent (logged). */
    private boolean mail(Invitation invitation, String token) {
        String link = application.frontendLink(ACCEPT_PAGE, token);
        try {
            mailer.send(new OutgoingMail(invitation.email(), "You are invited to a team",
                    "You have been invited to join a team as " + invitation.teamRole() + ". Choose your name and "
                            + "password here within " + VALIDITY.toDays() + " days:\n\n" + link
                            + "\n\nIf you did not expect this, ignore this message."));
            return true;
        } catch (RuntimeException e) {
            log.error("The mail of invitation {} could not be sent: {}", invitation.id(), e.getMessage());
            return false;
        }
    }

    /** 503: the mail server did not take the invitation's mail (an SMTP failure answered 500, the invitation kept). */
    private static ApiException mailNotSent(String consequence) {
        return ApiException.unavailable("The invitation mail could not be sent; " + consequence);
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private InvitationView view(Invitation invitation) {
        String status = invitation.pending() && !invitation.expiresAt().isAfter(clock.instant()) ? "expired"
                : invitation.status();
        return new InvitationView(invitation.id(), invitation.email(), invitation.teamRole(), status,
                invitation.expiresAt(), invitation.createdAt(), invitation.invitedBy());
    }

    /** Where a request came from, for the audit log. */
    public record RequestOrigin(String ip, String userAgent) {
    }
}
