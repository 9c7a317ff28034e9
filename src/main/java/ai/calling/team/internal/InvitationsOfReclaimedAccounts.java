package ai.calling.team.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import ai.calling.auth.AddressReclaimed;

/**
 * An account whose address its owner has just proved by a password reset (decision 0007): the invitations to its
 * workspace still pending, sent by whoever held the account before (possibly someone else), are revoked in the
 * reset's transaction, so that nobody joins the owner's workspace on the registrant's word. Each revocation is in
 * the team's audit log, under the account itself. Members who joined before stay (a known limit, decision 0007).
 */
@Component
class InvitationsOfReclaimedAccounts {

    private static final Logger log = LoggerFactory.getLogger(InvitationsOfReclaimedAccounts.class);

    private final InvitationRepository invitations;
    private final TeamAuditLog audit;

    InvitationsOfReclaimedAccounts(InvitationRepository invitations, TeamAuditLog audit) {
        this.invitations = invitations;
        this.audit = audit;
    }

    @EventListener
    void addressReclaimed(AddressReclaimed reclaimed) {
        UUID workspace = reclaimed.userId();
        List<UUID> revoked = invitations.revokePending(workspace);
        revoked.forEach(id -> audit.append(workspace, workspace, "team.invitation.revoked", "invitation", id.toString(),
                Map.of("reason", "address_reclaimed"), null, null));
        if (!revoked.isEmpty()) {
            log.info("Account {} reclaimed by a password reset: {} pending invitation(s) revoked", workspace,
                    revoked.size());
        }
    }
}
