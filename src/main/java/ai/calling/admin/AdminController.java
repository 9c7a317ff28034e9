package ai.calling.admin;

import java.time.Instant;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.AdminAudit;
import ai.calling.common.AllowedValues;
import ai.calling.common.AdminAudit.AuditEntry;
import ai.calling.common.CurrentUser;
import ai.calling.auth.UserAdministration;
import ai.calling.auth.UserAdministration.AdminUserView;
import ai.calling.billing.CreditLedger;
import ai.calling.billing.CreditLedger.Movement;
import ai.calling.billing.TransactionTypes;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;

/** The admin dashboard's account endpoints; the security chain lets only admin and super_admin in. */
@RestController
@RequestMapping("/api/admin")
class AdminController {

    private final UserAdministration users;
    private final AdminUserService changes;
    private final AdminAudit audit;
    private final CreditLedger ledger;

    private final ai.calling.admin.internal.PlatformQueries platform;

    AdminController(UserAdministration users, AdminUserService changes, AdminAudit audit, CreditLedger ledger,
            ai.calling.admin.internal.PlatformQueries platform) {
        this.platform = platform;
        this.users = users;
        this.changes = changes;
        this.audit = audit;
        this.ledger = ledger;
    }

    /** Accounts with their user_stats figures (agents, calls, contacts, credits used, call sources). */
    @Operation(summary = "List the accounts")
    @GetMapping("/users")
    PageResponse<AdminDtos.UserSummary> users(@RequestParam(required = false) String search,
            @RequestParam(required = false) String role, @RequestParam(required = false) Boolean active,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        PageRequest request = PageParams.of(page, size, Sort.unsorted());
        var found = platform.users(search, AllowedValues.check("role", role, UserAdministration.ROLES), active,
                request.getPageSize(), request.getOffset());
        return new PageResponse<>(found.items(), request.getPageNumber(), request.getPageSize(), found.total());
    }

    @Operation(summary = "Read an account")
    @GetMapping("/users/{id}")
    AdminUserService.AdminUserDetail user(@PathVariable UUID id) {
        return changes.get(id);
    }

    @Operation(summary = "Change an account")
    @PatchMapping("/users/{id}")
    AdminUserService.AdminUserDetail update(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            @RequestBody AdminUserService.UserPatch body, HttpServletRequest request) {
        return changes.update(admin, id, body, request);
    }

    @Operation(summary = "Change an account's role")
    @PutMapping("/users/{id}/role")
    AdminUserView changeRole(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            @Valid @RequestBody RoleChange body, HttpServletRequest request) {
        return changes.changeRole(admin, id, body.role(), request);
    }

    @Operation(summary = "Activate or deactivate an account")
    @PatchMapping("/users/{id}/status")
    AdminUserView setStatus(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            @Valid @RequestBody StatusChange body, HttpServletRequest request) {
        return changes.setActive(admin, id, body.active(), request);
    }

    @Operation(summary = "Grant or take back credits")
    @PostMapping("/users/{id}/credits")
    @ResponseStatus(HttpStatus.CREATED)
    Movement adjustCredits(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            @Valid @RequestBody CreditAdjustment body, HttpServletRequest request) {
        return changes.adjustCredits(admin, id, body.amount(), body.reason(), request);
    }

    @Operation(summary = "An account's credit ledger")
    @GetMapping("/users/{id}/transactions")
    PageResponse<Movement> transactions(@PathVariable UUID id, @RequestParam(required = false) String type,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        users.get(id);
        return ledger.history(id, AllowedValues.check("type", type, TransactionTypes.ALL), null, null,
                PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Read the admin audit log")
    @GetMapping("/audit-log")
    PageResponse<AuditEntry> auditLog(@RequestParam(required = false) String action,
            @RequestParam(required = false) UUID targetUserId, @RequestParam(required = false) UUID adminUserId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return audit.list(action, targetUserId, adminUserId, from, to, PageParams.of(page, size, Sort.unsorted()));
    }

    record RoleChange(@NotBlank String role) {
    }

    record StatusChange(@NotNull Boolean active) {
    }

    record CreditAdjustment(@NotNull Integer amount, @NotBlank @Size(max = 500) String reason) {
    }
}
