package ai.calling.lead;

import java.util.UUID;

/** Published after a call's lead analyses were written (dashboards evict their caches). */
public record LeadAnalysisCompleted(UUID userId, UUID callId) {
}
