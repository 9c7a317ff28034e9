package ai.calling.common;

import java.util.UUID;

/**
 * The signed-in caller, as the security filter established it for this request. Controllers take
 * it with {@code @AuthenticationPrincipal CurrentUser user} and pass {@code user.id()} down: every
 * user-scoped query filters by it.
 *
 * @param id        the user's id, the tenant key
 * @param role      user, admin or super_admin, read from the database on every request
 * @param sessionId the session the access token belongs to
 */
public record CurrentUser(UUID id, String role, UUID sessionId) {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String SUPER_ADMIN = "super_admin";

    public boolean isAdmin() {
        return ADMIN.equals(role) || SUPER_ADMIN.equals(role);
    }

    public boolean isSuperAdmin() {
        return SUPER_ADMIN.equals(role);
    }
}
