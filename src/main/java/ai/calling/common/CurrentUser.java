package ai.calling.common;

import java.util.UUID;

/**
 * The signed-in caller, as the security filter established it for this request. Controllers take
 * it with {@code @AuthenticationPrincipal CurrentUser user} and pass {@code user.id()} down: every
 * tenant-scoped query filters by it. In a team, {@code id} is the workspace (the tenant key every
 * member acts in) and {@code memberId} the person; for a one-person workspace they are the same.
 *
 * @param id        the workspace's id, the tenant key
 * @param role      the platform role: user, admin or super_admin, read from the database on every request
 * @param sessionId the session the access token belongs to (null for an API key)
 * @param memberId  the account of the person (or of the API key's creator) acting
 * @param teamRole  the person's role in the workspace, read from the database on every request
 * @param apiKeyId  the API key the request came with (null for a session)
 */
public record CurrentUser(UUID id, String role, UUID sessionId, UUID memberId, TeamRole teamRole, UUID apiKeyId) {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String SUPER_ADMIN = "super_admin";

    /** The owner of a one-person workspace (jobs, bootstrap and tests acting for an account). */
    public CurrentUser(UUID id, String role, UUID sessionId) {
        this(id, role, sessionId, id, TeamRole.OWNER);
    }

    /** A caller signed in with a session (or acting without any credential: jobs, bootstrap). */
    public CurrentUser(UUID id, String role, UUID sessionId, UUID memberId, TeamRole teamRole) {
        this(id, role, sessionId, memberId, teamRole, null);
    }

    public boolean isAdmin() {
        return ADMIN.equals(role) || SUPER_ADMIN.equals(role);
    }

    public boolean isSuperAdmin() {
        return SUPER_ADMIN.equals(role);
    }
}
