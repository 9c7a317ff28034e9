package ai.calling.admin;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answers of the admin console's platform views (rates are percentages, 0..100). */
public final class AdminDtos {

    private AdminDtos() {
    }

    /** GET /api/admin/stats: platform totals. */
    public record PlatformStats(long users, long activeUsers, @Schema(description = "active agents") long agents,
            @Schema(description = "calls created since midnight UTC") long callsToday, long calls30Days,
            @Schema(description = "call minutes, all time") long minutes, long creditsSold, long creditsUsed,
            List<Revenue> revenueByCurrency,
            @Schema(description = "rolling figures of the KPI view, as of its last refresh") PlatformKpis kpis) {
    }

    /**
     * The platform's rolling figures summed over user_kpi_summary, which a job refreshes every
     * kpi_refresh_interval_minutes: cheap at any volume, and as fresh as {@code calculatedAt}.
     */
    public record PlatformKpis(long calls30Days, long successfulCalls30Days, long failedCalls30Days,
            long minutes30Days, long creditsUsed30Days, long leads30Days, long qualifiedLeads30Days,
            long callsLast7Days, long creditsUsedLast7Days,
            @Schema(description = "when the KPI view was last refreshed; null before its first refresh") Instant calculatedAt) {
    }

    /** One account's row of user_kpi_summary. */
    public record UserKpis(long calls30Days, long successfulCalls30Days, BigDecimal successRate30Days,
            long minutes30Days, long creditsUsed30Days, long leads30Days, long qualifiedLeads30Days,
            BigDecimal conversionRate30Days, BigDecimal averageLeadScore30Days, UUID bestAgentId,
            String bestAgentName, long callsLast7Days, long callsLifetime,
            @Schema(description = "when these figures were computed (the view's last refresh)") Instant calculatedAt) {
    }

    /** Credited Stripe purchases in one currency. */
    public record Revenue(@Schema(example = "usd") String currency, long amountCents, long purchases) {
    }

    /** An account with its live user_stats counts and its KPI figures of the last refresh. */
    public record UserSummary(UUID id, String email, String name,
            @Schema(allowableValues = { "user", "admin", "super_admin" }) String role, int credits, boolean isActive,
            Instant createdAt, long agentCount, long callCount, long contactCount, long totalCreditsUsed,
            long phoneCalls, long internetCalls, long unknownCalls, long inboundCalls, long outboundCalls,
            @Schema(description = "the account's KPI row as of the view's last refresh; null for an account created since")
            UserKpis kpis) {

        public UserSummary withKpis(UserKpis figures) {
            return new UserSummary(id, email, name, role, credits, isActive, createdAt, agentCount, callCount,
                    contactCount, totalCreditsUsed, phoneCalls, internetCalls, unknownCalls, inboundCalls,
                    outboundCalls, figures);
        }
    }

    /** An agent of any tenant, with its owner's e-mail. */
    public record AgentSummary(UUID id, UUID userId, String ownerEmail, String name, String agentType,
            boolean isActive, String bolnaAgentId, Instant createdAt) {
    }

    /** A call of any tenant. */
    public record CallSummary(UUID id, UUID userId, UUID agentId, String phoneNumber, String status,
            String callLifecycleStatus, String leadType, Integer durationSeconds, Integer creditsUsed,
            String bolnaExecutionId, Instant createdAt) {
    }

    /** A signed-in session that has not expired (active_user_sessions). */
    public record ActiveSession(UUID id, UUID userId, String email, String name, String role, Instant createdAt,
            Instant lastUsedAt, Instant expiresAt, Instant refreshExpiresAt, String ipAddress, String userAgent) {
    }

    /** Sign-in attempts of one account (user_login_stats). */
    public record LoginStats(UUID id, String email, String name, long totalAttempts, long successfulLogins,
            long failedAttempts, BigDecimal successRate, Instant lastSuccessfulLogin, Instant lastFailedAttempt) {
    }

    public record RevokedSessions(@Schema(description = "sessions signed out") int revoked) {
    }

    /** GET /api/admin/health/triggers: the analytics triggers and their latest logged failures. */
    public record TriggerHealth(List<TriggerStatus> triggers, List<TriggerError> recentErrors) {
    }

    public record TriggerStatus(String tableName, String triggerName, boolean isEnabled,
            @Schema(description = "failures logged in the last 24 hours") long recentErrors) {
    }

    public record TriggerError(String triggerName, String tableName, String operation, String errorMessage,
            String sqlstate, Instant occurredAt) {
    }

    /** One check of validate_user_data_consistency(). */
    public record ConsistencyCheck(String checkName, long inconsistentRecords, String details) {
    }

    /** One check of audit_data_isolation(user). */
    public record IsolationCheck(String auditType, boolean potentialLeak, long recordCount, String details) {
    }
}
