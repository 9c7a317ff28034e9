package ai.calling.team;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import tools.jackson.databind.JsonNode;

import ai.calling.auth.AuthDtos;

/** Request and response bodies of {@code /api/team}. */
public final class TeamDtos {

    private TeamDtos() {
    }

    /** {@code teamRole}: admin, member or viewer (ownership moves only by a transfer). */
    public record InviteRequest(@NotBlank @Size(max = 320) String email, @NotBlank String teamRole) {
    }

    /**
     * An invitation. {@code status}: pending, accepted, revoked, or expired (a pending one past
     * {@code expiresAt}; resending renews it).
     */
    public record InvitationView(UUID id, String email, String teamRole, String status, Instant expiresAt,
            Instant createdAt, UUID invitedBy) {
    }

    public record AcceptInvitationRequest(
            @NotBlank String token,
            @NotBlank @Size(max = 255) @Pattern(regexp = AuthDtos.NO_CONTROL_CHARACTERS,
                    message = "must not contain line breaks or other control characters") String name,
            @NotBlank String password) {
    }

    /** {@code teamRole}: admin, member or viewer. */
    public record ChangeRoleRequest(@NotBlank String teamRole) {
    }

    public record TransferOwnershipRequest(@NotNull UUID userId) {
    }

    /** What a member did: {@code action} is the operation ({@code POST /api/campaigns}, {@code team.member.removed}, ...). */
    public record AuditEntry(UUID id, UUID actorUserId, String action, String resourceType, String resourceId,
            JsonNode details, String ipAddress, String userAgent, Instant createdAt) {
    }
}
