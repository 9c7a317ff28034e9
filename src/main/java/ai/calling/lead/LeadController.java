package ai.calling.lead;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.lead.CustomerService.Conversion;
import ai.calling.lead.CustomerService.CustomerUpdate;
import ai.calling.lead.CustomerService.CustomerView;
import ai.calling.lead.FollowUpService.FollowUpView;
import ai.calling.lead.FollowUpService.NewFollowUp;
import ai.calling.lead.NotificationService.Notifications;

/** Follow-ups, customers and smart notifications of the signed-in user. */
@RestController
class LeadController {

    private final FollowUpService followUps;
    private final CustomerService customers;
    private final NotificationService notifications;
    private final LeadAnalysisService analyses;
    private final LeadIntelligence leads;

    LeadController(FollowUpService followUps, CustomerService customers, NotificationService notifications,
            LeadAnalysisService analyses, LeadIntelligence leads) {
        this.followUps = followUps;
        this.customers = customers;
        this.notifications = notifications;
        this.analyses = analyses;
        this.leads = leads;
    }

    @Operation(summary = "List your leads")
    @GetMapping("/api/leads")
    PageResponse<LeadIntelligence.LeadRow> leads(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) String tag, @RequestParam(required = false) Integer minScore,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String search, @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return leads.leads(user.id(), tag, minScore, from, to, search, sort, PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "A lead's calls and analyses")
    @GetMapping("/api/leads/{phone}")
    LeadIntelligence.Timeline lead(@AuthenticationPrincipal CurrentUser user, @PathVariable String phone) {
        return leads.timeline(user.id(), phone);
    }

    /** Queues the lead analysis of a call again (after a failure, or with a new prompt). */
    @Operation(summary = "Analyse a call's lead again")
    @ApiResponse(responseCode = "409", description = "The call's analysis is running; ask again once it has ended")
    @PostMapping("/api/calls/{id}/analysis/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    AnalysisQueued retryAnalysis(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        analyses.retry(user.id(), id);
        return new AnalysisQueued(id, true);
    }

    @Operation(summary = "Plan a follow-up")
    @PostMapping("/api/follow-ups")
    @ResponseStatus(HttpStatus.CREATED)
    FollowUpView createFollowUp(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody NewFollowUp body) {
        return followUps.create(user.id(), user.memberId(), body);
    }

    @Operation(summary = "List your follow-ups")
    @GetMapping("/api/follow-ups")
    PageResponse<FollowUpView> followUps(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) LocalDate from, @RequestParam(required = false) LocalDate to,
            @RequestParam(required = false) String status, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return followUps.list(user.id(), from, to, status, null,
                PageParams.of(page, size, Sort.by("followUpDate").and(Sort.by("id"))));
    }

    @Operation(summary = "Complete or cancel a follow-up")
    @PatchMapping("/api/follow-ups/{id}")
    FollowUpView changeFollowUp(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestBody Map<String, String> body) {
        return followUps.changeStatus(user.id(), user.memberId(), id, body.get("status"));
    }

    @Operation(summary = "Delete a follow-up")
    @DeleteMapping("/api/follow-ups/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteFollowUp(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        followUps.delete(user.id(), id);
    }

    @Operation(summary = "Convert a contact into a customer")
    @PostMapping("/api/customers")
    @ResponseStatus(HttpStatus.CREATED)
    CustomerView convert(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody Conversion body) {
        return customers.convert(user.id(), body);
    }

    @Operation(summary = "List your customers")
    @GetMapping("/api/customers")
    PageResponse<CustomerView> customers(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return customers.list(user.id(), PageParams.of(page, size,
                Sort.by(Sort.Direction.DESC, "conversionDate").and(Sort.by("id"))));
    }

    @Operation(summary = "Read a customer")
    @GetMapping("/api/customers/{id}")
    CustomerView customer(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return customers.get(user.id(), id);
    }

    @Operation(summary = "Change a customer")
    @PatchMapping("/api/customers/{id}")
    CustomerView updateCustomer(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody CustomerUpdate body) {
        return customers.update(user.id(), id, body);
    }

    @Operation(summary = "List your notifications")
    @GetMapping("/api/notifications")
    Notifications notifications(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return notifications.list(user.id(), PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Mark a notification read")
    @PostMapping("/api/notifications/{id}/read")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void read(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        notifications.markRead(user.id(), id);
    }

    @Operation(summary = "Mark every notification read")
    @PostMapping("/api/notifications/read-all")
    MarkedRead readAll(@AuthenticationPrincipal CurrentUser user) {
        return new MarkedRead(notifications.markAllRead(user.id()));
    }

    /** The call's lead analysis is queued again. */
    record AnalysisQueued(UUID callId, boolean queued) {
    }

    /** How many notifications were marked read. */
    record MarkedRead(int marked) {
    }
}
