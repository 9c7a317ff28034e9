package ai.calling.admin;

import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.CurrentUser;
import ai.calling.auth.UserAdministration;
import ai.calling.auth.UserAdministration.AdminUserView;
import ai.calling.auth.UserAdministration.Change;

/** Account changes made from the admin dashboard, each audited in the same transaction. */
@Service
class AdminUserService {

    private final UserAdministration users;
    private final AdminAudit audit;

    AdminUserService(UserAdministration users, AdminAudit audit) {
        this.users = users;
        this.audit = audit;
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
