package ai.calling.campaign;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import ai.calling.campaign.CampaignDtos.AddRecipientsRequest;
import ai.calling.campaign.CampaignDtos.AddRecipientsResult;
import ai.calling.campaign.CampaignDtos.CampaignView;
import ai.calling.campaign.CampaignDtos.CreateCampaignRequest;
import ai.calling.campaign.CampaignDtos.RecipientView;
import ai.calling.campaign.CampaignDtos.UpdateCampaignRequest;
import ai.calling.common.AllowedValues;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.common.SpreadsheetCsv;
import ai.calling.contact.ContactCsv;

/** Campaigns of the signed-in tenant (decision 0015). */
@RestController
@RequestMapping("/api/campaigns")
class CampaignController {

    static final Set<String> CAMPAIGN_STATUSES = Set.of("draft", "running", "paused", "completed", "cancelled");
    static final Set<String> RECIPIENT_STATUSES = Set.of("pending", "in_progress", "completed", "no_answer", "busy",
            "failed", "cancelled", "skipped_dnc");

    private final CampaignService campaigns;

    CampaignController(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @Operation(summary = "Create a campaign (as a draft)")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CampaignView create(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody CreateCampaignRequest body) {
        return campaigns.create(user.id(), user.memberId(), body);
    }

    @Operation(summary = "List your campaigns")
    @GetMapping
    PageResponse<CampaignView> list(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) String status, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return campaigns.list(user.id(), AllowedValues.check("status", status, CAMPAIGN_STATUSES),
                PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Read a campaign and its recipients' statistics")
    @GetMapping("/{id}")
    CampaignView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return campaigns.get(user.id(), id);
    }

    @Operation(summary = "Change a campaign")
    @PatchMapping("/{id}")
    CampaignView update(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody UpdateCampaignRequest body) {
        return campaigns.update(user.id(), id, body);
    }

    @Operation(summary = "Delete a campaign")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        campaigns.delete(user.id(), id);
    }

    @Operation(summary = "Start a campaign", responses = {
            @ApiResponse(responseCode = "200", description = "The campaign: a draft starts dialing within its calling window"),
            @ApiResponse(responseCode = "409", description = "Impossible from the campaign's current status") })
    @PostMapping("/{id}/start")
    CampaignView start(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return campaigns.start(user.id(), id);
    }

    @Operation(summary = "Pause a campaign", responses = {
            @ApiResponse(responseCode = "200", description = "The campaign: a running campaign stops dialing; calls in progress finish"),
            @ApiResponse(responseCode = "409", description = "Impossible from the campaign's current status") })
    @PostMapping("/{id}/pause")
    CampaignView pause(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return campaigns.pause(user.id(), id);
    }

    @Operation(summary = "Resume a paused campaign", responses = {
            @ApiResponse(responseCode = "200", description = "The campaign: a paused campaign dials again"),
            @ApiResponse(responseCode = "409", description = "Impossible from the campaign's current status") })
    @PostMapping("/{id}/resume")
    CampaignView resume(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return campaigns.resume(user.id(), id);
    }

    @Operation(summary = "Cancel a campaign", responses = {
            @ApiResponse(responseCode = "200", description = "The campaign: pending recipients are cancelled; calls in progress finish"),
            @ApiResponse(responseCode = "409", description = "Impossible from the campaign's current status") })
    @PostMapping("/{id}/cancel")
    CampaignView cancel(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return campaigns.cancel(user.id(), id);
    }

    @Operation(summary = "Add recipients to a campaign")
    @PostMapping("/{id}/recipients")
    AddRecipientsResult addRecipients(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody AddRecipientsRequest body) {
        return campaigns.addRecipients(user.id(), id, body);
    }

    @Operation(summary = "Add recipients to a campaign from a CSV file", description = """
            A multipart/form-data upload with the CSV in the part "file", in the contact upload's format \
            (the same columns and aliases: phone is required, name is the name the agent greets; email, \
            company and notes are checked and not kept). Numbers are stored as E.164, numbers on the \
            do-not-call list are added as skipped_dnc, a number already in the campaign or repeated in the \
            file is skipped, and a bad row is reported in invalid as "row N" (the header is row 1). At most \
            CAMPAIGN_MAX_RECIPIENTS_PER_UPLOAD rows.""", responses = {
            @ApiResponse(responseCode = "200", description = "What was added, skipped and refused"),
            @ApiResponse(responseCode = "404", description = "No such campaign"),
            @ApiResponse(responseCode = "409", description = "The campaign has completed or been cancelled"),
            @ApiResponse(responseCode = "413", description = "More rows or bytes than one upload takes"),
            @ApiResponse(responseCode = "415", description = "The file is not a CSV") })
    @PostMapping(value = "/{id}/recipients/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    AddRecipientsResult uploadRecipients(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestPart("file") MultipartFile file) throws IOException {
        try (InputStream input = ContactCsv.open(file, "recipients")) {
            return campaigns.addRecipientsFromCsv(user.id(), id, input);
        }
    }

    @Operation(summary = "List a campaign's recipients")
    @GetMapping("/{id}/recipients")
    PageResponse<RecipientView> recipients(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestParam(required = false) String status, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return campaigns.recipients(user.id(), id, AllowedValues.check("status", status, RECIPIENT_STATUSES),
                PageParams.of(page, size, Sort.unsorted()));
    }

    /** The recipients as CSV, streamed. */
    @Operation(summary = "Export a campaign's recipients as CSV")
    @GetMapping(value = "/{id}/recipients/export", produces = "text/csv")
    void export(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestParam(required = false) String status, HttpServletResponse response) throws IOException {
        String checked = AllowedValues.check("status", status, RECIPIENT_STATUSES);
        campaigns.get(user.id(), id);
        SpreadsheetCsv csv = SpreadsheetCsv.download(response, "campaign-" + id + "-recipients.csv", "phone_number",
                "name", "contact_id", "status", "attempts", "last_outcome", "last_call_id", "next_attempt_at",
                "time_zone");
        campaigns.forEachRecipient(user.id(), id, checked, recipient -> csv.row(recipient.phoneNumber(), recipient.name(),
                recipient.contactId(), recipient.status(), recipient.attempts(), recipient.lastOutcome(),
                recipient.lastCallId(), recipient.nextAttemptAt(), recipient.timeZone()));
        csv.flush();
    }
}
