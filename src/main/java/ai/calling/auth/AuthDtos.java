package ai.calling.auth;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of {@code /api/auth}. */
public final class AuthDtos {

    private AuthDtos() {
    }

    /** The e-mail is checked after trimming and lower-casing, by the service. */
    public record RegisterRequest(
            @NotBlank @Size(max = 320) String email,
            @NotBlank String password,
            @NotBlank @Size(max = 255) @Pattern(regexp = NO_CONTROL_CHARACTERS,
                    message = "must not contain line breaks or other control characters") String name) {
    }

    /**
     * A name is one line of printable text: it ends up in mail headers and bodies. Written in the
     * syntax Java and ECMAScript share, since the OpenAPI document publishes it to clients.
     */
    public static final String NO_CONTROL_CHARACTERS = "[^\\x00-\\x1F\\x7F\\u2028\\u2029]*";

    public record LoginRequest(@NotBlank String email, @NotBlank String password) {
    }

    public record RefreshRequest(@NotBlank String refreshToken) {
    }

    public record ForgotPasswordRequest(@NotBlank @Size(max = 320) String email) {
    }

    public record ResetPasswordRequest(@NotBlank String token, @NotBlank String newPassword) {
    }

    public record VerifyEmailRequest(@NotBlank String token) {
    }

    /**
     * The user as the auth answers carry it. {@code role} is the platform role; {@code workspaceId}
     * and {@code teamRole} say where the user acts; {@code credits} are the workspace's, which every
     * member spends.
     */
    public record UserView(UUID id, String email, String name, String role, int credits, boolean emailVerified,
            UUID workspaceId, String teamRole) {
    }

    /** Login, register and refresh answer this. */
    public record AuthResponse(String accessToken, String refreshToken, String tokenType, long expiresIn,
            UserView user) {
    }

    public record ProfileView(UUID id, String email, String name, String role, int credits, boolean emailVerified,
            String authProvider, boolean active, Instant createdAt, UUID workspaceId, String teamRole) {
    }

    /** {@code PATCH /api/auth/me}: the fields given change. */
    public record UpdateProfileRequest(
            @NotBlank @Size(max = 255) @Pattern(regexp = NO_CONTROL_CHARACTERS,
                    message = "must not contain line breaks or other control characters") String name) {
    }

    public record ChangePasswordRequest(@NotBlank String currentPassword, @NotBlank String newPassword) {
    }

    /** {@code DELETE /api/auth/me}: the password confirms the closure. */
    public record CloseAccountRequest(@NotBlank String password) {
    }

    /** A live session of the caller; {@code current} marks the one the request came with. */
    public record SessionView(UUID id, String ipAddress, String userAgent, Instant createdAt, Instant lastUsedAt,
            Instant expiresAt, boolean current) {
    }
}
