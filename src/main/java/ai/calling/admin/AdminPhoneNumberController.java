package ai.calling.admin;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.AdminAudit;
import ai.calling.agent.PhoneNumberService;
import ai.calling.agent.PhoneNumberService.PhoneNumberView;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;

/** Admin management of the caller-id numbers and their assignment to agents; every change audited. */
@RestController
@RequestMapping("/api/admin/phone-numbers")
class AdminPhoneNumberController {

    private final PhoneNumberService numbers;
    private final AuditedPhoneNumbers audited;

    AdminPhoneNumberController(PhoneNumberService numbers, AuditedPhoneNumbers audited) {
        this.numbers = numbers;
        this.audited = audited;
    }

    @Operation(summary = "Add a phone number")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    PhoneNumberView create(@AuthenticationPrincipal CurrentUser admin, @Valid @RequestBody NewNumber body,
            HttpServletRequest request) {
        return audited.create(admin, body.name(), body.phoneNumber(), request);
    }

    @Operation(summary = "List the phone numbers")
    @GetMapping
    PageResponse<PhoneNumberView> list(@RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return numbers.list(PageParams.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt").and(Sort.by("id"))));
    }

    @Operation(summary = "Rename a phone number")
    @PatchMapping("/{id}")
    PhoneNumberView rename(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            @Valid @RequestBody Rename body, HttpServletRequest request) {
        return audited.apply(admin, id, "phone_number.renamed", Map.of("name", body.name()), request,
                () -> numbers.rename(id, body.name()));
    }

    @Operation(summary = "Deactivate a phone number")
    @PostMapping("/{id}/deactivate")
    PhoneNumberView deactivate(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            HttpServletRequest request) {
        return audited.apply(admin, id, "phone_number.deactivated", Map.of(), request, () -> numbers.deactivate(id));
    }

    @Operation(summary = "Assign a phone number to an agent")
    @PostMapping("/{id}/assign")
    PhoneNumberView assign(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            @Valid @RequestBody Assignment body, HttpServletRequest request) {
        return audited.apply(admin, id, "phone_number.assigned", Map.of("agentId", body.agentId().toString()), request,
                () -> numbers.assign(id, body.agentId()));
    }

    @Operation(summary = "Take a phone number off its agent")
    @PostMapping("/{id}/unassign")
    PhoneNumberView unassign(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            HttpServletRequest request) {
        return audited.apply(admin, id, "phone_number.unassigned", Map.of(), request, () -> numbers.unassign(id));
    }

    record NewNumber(@NotBlank @Size(max = 255) String name, @NotBlank @Size(max = 50) String phoneNumber) {
    }

    record Rename(@NotBlank @Size(max = 255) String name) {
    }

    record Assignment(@NotNull UUID agentId) {
    }

    /** Each change and its audit row in one transaction. */
    @Service
    static class AuditedPhoneNumbers {

        private final PhoneNumberService numbers;
        private final AdminAudit audit;

        AuditedPhoneNumbers(PhoneNumberService numbers, AdminAudit audit) {
            this.numbers = numbers;
            this.audit = audit;
        }

        @Transactional
        PhoneNumberView create(CurrentUser admin, String name, String phoneNumber, HttpServletRequest request) {
            PhoneNumberView created = numbers.create(admin.memberId(), name, phoneNumber);
            audit.record(admin, "phone_number.created", "phone_number", created.id().toString(), null,
                    Map.of("phoneNumber", created.phoneNumber(), "name", created.name()), request);
            return created;
        }

        @Transactional
        PhoneNumberView apply(CurrentUser admin, UUID numberId, String action, Map<String, ?> details,
                HttpServletRequest request, Supplier<PhoneNumberView> change) {
            PhoneNumberView changed = change.get();
            audit.record(admin, action, "phone_number", numberId.toString(), null, details, request);
            return changed;
        }
    }
}
