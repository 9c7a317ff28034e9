package ai.calling.lead;

import java.util.UUID;

/**
 * Published in the transaction that writes a call's lead analyses: the call's outcome is completed
 * in it, and dashboards evict their caches after it commits.
 */
public record LeadAnalysisCompleted(UUID userId, UUID callId) {
}
