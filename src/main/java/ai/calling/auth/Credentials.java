package ai.calling.auth;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;

import ai.calling.auth.internal.ApiKeyRepository;
import ai.calling.auth.internal.SessionRepository;
import ai.calling.common.CurrentUser;

/**
 * Whether the credentials behind long-lived connections are still good. A request is authenticated once, at
 * its start; a live event stream lasts up to half an hour, so its holder checks its credential again as it
 * goes ({@link #revokedAmong}): a session logged out or revoked, an API key revoked, a member removed, an
 * account or workspace deactivated ends it, as it refuses the next request.
 */
@Service
public class Credentials {

    private final SessionRepository sessions;
    private final ApiKeyRepository keys;

    Credentials(SessionRepository sessions, ApiKeyRepository keys) {
        this.sessions = sessions;
        this.keys = keys;
    }

    /** What a connection was opened with: the workspace, and the session or the API key (neither: no credential). */
    public record Credential(UUID workspaceId, UUID sessionId, UUID apiKeyId) {

        public static Credential of(CurrentUser user) {
            return new Credential(user.id(), user.sessionId(), user.apiKeyId());
        }
    }

    /**
     * The credentials among these that would no longer be accepted: one statement for the sessions and one for
     * the keys, however many. A session counts only for the workspace its user acts in now.
     */
    public Set<Credential> revokedAmong(Collection<Credential> credentials) {
        List<UUID> sessionIds = credentials.stream().map(Credential::sessionId).filter(Objects::nonNull).distinct().toList();
        List<UUID> keyIds = credentials.stream().map(Credential::apiKeyId).filter(Objects::nonNull).distinct().toList();
        Map<UUID, UUID> activeSessions = sessionIds.isEmpty() ? Map.of() : sessions.activeWorkspaces(sessionIds);
        Set<UUID> usableKeys = keyIds.isEmpty() ? Set.of() : keys.usable(keyIds);
        Set<Credential> revoked = new HashSet<>();
        for (Credential credential : credentials) {
            boolean good = credential.apiKeyId() != null ? usableKeys.contains(credential.apiKeyId())
                    : credential.sessionId() == null
                            || credential.workspaceId().equals(activeSessions.get(credential.sessionId()));
            if (!good) {
                revoked.add(credential);
            }
        }
        return revoked;
    }
}
