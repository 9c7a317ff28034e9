package ai.calling.admin;

import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.CurrentUser;
import ai.calling.auth.UserAdministration;
import ai.calling.auth.UserAdministration.AdminUserView;
import ai.calling.auth.UserAdministration.Change;
import ai.calling.billing.CreditLedger;
import ai.calling.billing.CreditLedger.Movement;

/** Account changes made from the admin dashboard, each audited in the same transaction. */
@Service
class AdminUserService {

    private final UserAdministration users;
    private final AdminAudit audit;
    private final CreditLedger ledger;

    AdminUserService(UserAdministration users, AdminAudit audit, CreditLedger ledger) {
        this.users = users;
        this.audit = audit;
        this.ledger = ledger;
    }

    @Transactional
    Movement adjustCredits(CurrentUser actor, UUID userId, int amount, String reason, HttpServletRequest request) {
        Movement movement = ledger.adjust(userId, amount, reason.trim(), actor.id());
        audit.record(actor, "credits.adjusted", "user", userId.toString(), userId,
                Map.of("amount", amount, "reason", reason.trim(), "balanceAfter", movement.balanceAfter(),
                        "transactionId", movement.id().toString()), request);
        return movement;
    }

    @Transactional
    AdminUserView changeRole(CurrentUser actor, UUID userId, String role, HttpServletRequest request) {
        Change change = users.changeRole(actor, userId, role);
        audit.record(actor, "user.role_changed", "user", userId.toString(), userId,
                Map.of("from", change.before().role(), "to", change.after().role()), request);
        return change.after();
    }

    @Transactional
    AdminUserView setActive(CurrentUser actor, UUID userId, boolean active, HttpServletRequest request) {
        Change change = users.setActive(actor, userId, active);
        audit.record(actor, active ? "user.activated" : "user.deactivated", "user", userId.toString(), userId,
                Map.of("from", change.before().active(), "to", change.after().active()), request);
        return change.after();
    }
}
