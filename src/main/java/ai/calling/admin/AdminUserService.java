package ai.calling.admin;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import com.fasterxml.jackson.annotation.JsonAlias;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.common.AdminAudit;
import ai.calling.common.CurrentUser;
import ai.calling.auth.UserAdministration;
import ai.calling.auth.UserAdministration.AdminUserView;
import ai.calling.auth.UserAdministration.Change;
import ai.calling.billing.CreditLedger;
import ai.calling.billing.CreditLedger.Movement;
import ai.calling.common.ApiException;
import ai.calling.lead.PromptService;
import ai.calling.lead.PromptService.Prompts;

/** Account changes made from the admin dashboard, each audited in the same transaction. */
@Service
class AdminUserService {

    private final UserAdministration users;
    private final AdminAudit audit;
    private final CreditLedger ledger;
    private final PromptService prompts;
    private final TransactionTemplate transactions;

    AdminUserService(UserAdministration users, AdminAudit audit, CreditLedger ledger, PromptService prompts,
            TransactionTemplate transactions) {
        this.users = users;
        this.audit = audit;
        this.ledger = ledger;
        this.prompts = prompts;
        this.transactions = transactions;
    }

    AdminUserDetail get(UUID userId) {
        return AdminUserDetail.of(users.get(userId), prompts.prompts(userId), users.maxConcurrentCalls(userId));
    }

    /**
     * PATCH of an account: any of active, role and prompt ids, all or nothing. Each change is audited
     * as its own action (the same ones as the single-purpose endpoints).
     */
    AdminUserDetail update(CurrentUser actor, UUID userId, UserPatch patch, HttpServletRequest request) {
        if (patch.active() == null && patch.role() == null && patch.individualPromptId() == null
                && patch.completePromptId() == null && patch.maxConcurrentCalls() == null) {
            throw ApiException.badRequest("Nothing to change: give active, role, individualPromptId, completePromptId "
                    + "or maxConcurrentCalls");
        }
        users.checkMayChange(actor, userId);
        // the new prompt ids are checked at OpenAI before the transaction opens (no provider call holds a connection)
        Set<String> checked = prompts.checkUsable(PromptService.patched(null, patch.individualPromptId()),
                PromptService.patched(null, patch.completePromptId()));
        return transactions.execute(status -> applyUpdate(actor, userId, patch, request, checked));
    }

    private AdminUserDetail applyUpdate(CurrentUser actor, UUID userId, UserPatch patch, HttpServletRequest request,
            Set<String> checked) {
        if (patch.individualPromptId() != null || patch.completePromptId() != null) {
            prompts.patchForUser(actor, userId, patch.individualPromptId(), patch.completePromptId(), request, checked);
        }
        if (patch.role() != null) {
            changeRole(actor, userId, patch.role(), request);
        }
        if (patch.active() != null) {
            setActive(actor, userId, patch.active(), request);
        }
        if (patch.maxConcurrentCalls() != null) {
            Integer before = users.setMaxConcurrentCalls(userId, patch.maxConcurrentCalls());
            Map<String, Object> details = new HashMap<>();
            details.put("from", before);
            details.put("to", patch.maxConcurrentCalls());
            audit.record(actor, "user.concurrency_changed", "user", userId.toString(), userId, details, request);
        }
        return get(userId);
    }

    @Transactional
    Movement adjustCredits(CurrentUser actor, UUID userId, int amount, String reason, HttpServletRequest request) {
        UserAdministration.checkNotOwn(actor, userId, "credits");
        users.checkMayChange(actor, userId);
        Movement movement = ledger.adjust(userId, amount, reason.trim(), actor.memberId());
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

    /**
     * Absent (null) fields are left as they are; a blank prompt id goes back to the default.
     * {@code maxConcurrentCalls} is the account's own cap on calls in progress (0 to 1000).
     */
    record UserPatch(@JsonAlias("isActive") Boolean active, String role,
            String individualPromptId, String completePromptId, Integer maxConcurrentCalls) {
    }

    /**
     * An account as the admin console shows it, with its own prompt ids and cap on calls in progress
     * (null: the default applies).
     */
    record AdminUserDetail(UUID id, String email, String name, String role, int credits, boolean active,
            boolean emailVerified, String authProvider, Instant createdAt, String individualPromptId,
            String completePromptId, Integer maxConcurrentCalls) {

        static AdminUserDetail of(AdminUserView user, Prompts prompts, Integer maxConcurrentCalls) {
            return new AdminUserDetail(user.id(), user.email(), user.name(), user.role(), user.credits(), user.active(),
                    user.emailVerified(), user.authProvider(), user.createdAt(), prompts.individualPromptId(),
                    prompts.completePromptId(), maxConcurrentCalls);
        }
    }
}
