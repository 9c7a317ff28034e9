package ai.calling.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The shape of {@code GET /api/auth/me/export}, for the API document: {@link TenantExport} writes
 * these fields (its columns in camelCase) row by row, without building these records.
 */
public record AccountExportDocument(Instant exportedAt, Account account, List<Agent> agents, List<Contact> contacts,
        List<Call> calls, List<Transcript> transcripts, List<LeadAnalysis> leadAnalyses,
        List<CreditTransaction> creditTransactions) {

    public record Account(UUID id, String email, String name, String role, int credits, boolean emailVerified,
            String authProvider, Instant createdAt) {
    }

    public record Agent(UUID id, String name, String agentType, boolean isActive, int maxCallDurationSeconds,
            Instant createdAt) {
    }

    public record Contact(UUID id, String name, String phoneNumber, String email, String company, boolean isCustomer,
            Instant createdAt) {
    }

    public record Call(UUID id, UUID agentId, UUID contactId, UUID campaignId, String phoneNumber, String callerName,
            String leadType, String callSource, String status, String callLifecycleStatus, int durationSeconds,
            int billedMinutes, int creditsUsed, Instant completedAt, Instant createdAt) {
    }

    public record Transcript(UUID callId, String content, Instant createdAt) {
    }

    public record LeadAnalysis(UUID callId, String analysisType, String phoneNumber, Integer totalScore,
            String leadStatusTag, String intentLevel, String urgencyLevel, String companyName, String extractedName,
            String extractedEmail, Instant createdAt) {
    }

    public record CreditTransaction(UUID id, String type, int amount, int balanceAfter, String description,
            UUID callId, Instant createdAt) {
    }
}
