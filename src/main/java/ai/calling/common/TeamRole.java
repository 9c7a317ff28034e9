package ai.calling.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A member's role in their workspace, highest first. Each role may do everything the roles below
 * it may: {@code owner} (billing, members, closing the workspace), {@code admin} (members except
 * owners, agents, campaigns, API keys, webhooks), {@code member} (calls, contacts, campaigns,
 * leads), {@code viewer} (read only).
 */
public enum TeamRole {
    OWNER, ADMIN, MEMBER, VIEWER;

    /** The name on the wire and in the database: {@code owner}, {@code admin}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TeamRole> fromWire(String value) {
        return value == null ? Optional.empty()
                : Arrays.stream(values()).filter(role -> role.wireName().equals(value)).findFirst();
    }

    /** Whether this role may do what {@code required} may. */
    public boolean atLeast(TeamRole required) {
        return ordinal() <= required.ordinal();
    }

    /**
     * Whether a member with this role may change, remove or invite someone whose role is
     * {@code target}: owners manage everyone; admins manage everyone but owners; others nobody.
     * Nobody becomes owner this way, only by a transfer of ownership.
     */
    public boolean canManage(TeamRole target) {
        return (this == OWNER || this == ADMIN) && target != OWNER;
    }
}
