package ai.calling.auth;

import java.util.UUID;

/** Published when an account has been created (by e-mail sign-up or social sign-in). */
public record UserRegistered(UUID userId, String email, String name, String authProvider) {
}
