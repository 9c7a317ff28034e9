package ai.calling.campaign;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of {@code /api/campaigns}. */
public final class CampaignDtos {

    private CampaignDtos() {
    }

    /** A new campaign, created as a draft. {@code retry} left out: each recipient is called once. */
    public record CreateCampaignRequest(
            @NotBlank @Size(max = 255) String name,
            @NotNull UUID agentId,
            @NotBlank @Size(max = 64) String timezone,
            @NotNull @Valid CallingWindowDto callingWindow,
            @NotNull @Min(1) @Max(1000) Integer maxConcurrentCalls,
            @Valid RetryPolicy retry) {
    }

    /** Fields left out (null) are not changed; the agent can be changed only while the campaign is a draft. */
    public record UpdateCampaignRequest(
            @Size(min = 1, max = 255) String name,
            UUID agentId,
            @Size(min = 1, max = 64) String timezone,
            @Valid CallingWindowDto callingWindow,
            @Min(1) @Max(1000) Integer maxConcurrentCalls,
            @Valid RetryPolicy retry) {
    }

    /** Local times {@code HH:mm}, start before end, and days {@code MON} ... {@code SUN}. */
    public record CallingWindowDto(
            @NotNull @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be a time HH:mm") String start,
            @NotNull @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be a time HH:mm") String end,
            @NotEmpty @Size(max = 7) List<@NotNull @Pattern(regexp = "MON|TUE|WED|THU|FRI|SAT|SUN",
                    message = "must be one of MON, TUE, WED, THU, FRI, SAT, SUN") String> days) {
    }

    /**
     * Calls that end in one of {@code retryOn} ({@code no_answer} (voicemail included), {@code busy},
     * {@code failed}) are tried again {@code delayMinutes} later, inside the window, until a recipient
     * has had {@code maxAttempts} calls.
     */
    public record RetryPolicy(
            @NotNull @Min(1) @Max(10) Integer maxAttempts,
            @NotNull @Size(max = 3) List<@NotNull @Pattern(regexp = "no_answer|busy|failed",
                    message = "must be one of no_answer, busy, failed") String> retryOn,
            @NotNull @Min(1) @Max(10080) Integer delayMinutes) {
    }

    public record CampaignView(UUID id, String name, UUID agentId, String status, String pauseReason, String timezone,
            CallingWindowDto callingWindow, int maxConcurrentCalls, RetryPolicy retry, Stats stats, Instant createdAt,
            Instant updatedAt, Instant startedAt, Instant completedAt, Instant cancelledAt, UUID createdBy) {
    }

    /** Recipients per status ({@code pending} includes those waiting for a retry). */
    public record Stats(long total, long pending, long inProgress, long completed, long noAnswer, long busy, long failed,
            long cancelled, long skippedDoNotCall) {
    }

    /** Either contacts of the caller or phone numbers, up to 10,000 at a time. */
    public record AddRecipientsRequest(@Size(max = 10_000) List<@NotNull UUID> contactIds,
            @Size(max = 10_000) List<@NotNull @Size(max = 50) String> phoneNumbers) {
    }

    /**
     * {@code added}: now waiting to be called; {@code skippedDuplicate}: already a recipient (or twice in
     * the request); {@code skippedDoNotCall}: on a do-not-call list, kept as {@code skipped_dnc};
     * {@code invalid}: what could not be a recipient, and why.
     */
    public record AddRecipientsResult(int added, int skippedDuplicate, int skippedDoNotCall, List<Invalid> invalid) {
    }

    /** A value (a number, a contact id or a CSV row) that was not added, and why. */
    public record Invalid(String value, String reason) {
    }

    public record RecipientView(UUID id, String phoneNumber, UUID contactId, String name, String timeZone,
            String status, int attempts, UUID lastCallId, String lastOutcome, Instant nextAttemptAt) {
    }
}
