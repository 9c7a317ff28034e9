package ai.calling.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answers of the dashboard and analytics endpoints (rates are percentages, 0..100). */
public final class AnalyticsDtos {

    private AnalyticsDtos() {
    }

    /** GET /api/dashboard/overview: three windows, the best agent of the last 30 days and the live balance. */
    public record Overview(Window last30Days, Window last7Days, Window lifetime,
            @Schema(description = "best success rate of the last 30 days among agents with calls; null when none")
            BestAgent bestAgent,
            int creditsRemaining) {

        Overview withCreditsRemaining(int credits) {
            return new Overview(last30Days, last7Days, lifetime, bestAgent, credits);
        }
    }

    public record Window(int calls, int successfulCalls, int failedCalls, double successRate, double answerRate,
            int minutes, int creditsUsed, int leads, int qualifiedLeads, double conversionRate, int ctaInteractions,
            double ctaConversionRate) {
    }

    public record BestAgent(UUID agentId, String name, long successfulCalls, long calls) {
    }

    /** One period of GET /api/analytics/calls. */
    public record CallPeriod(@Schema(description = "first day of the period (day, ISO week or month)") LocalDate period,
            int totalCalls, int successfulCalls, int failedCalls, int minutes, int creditsUsed, int leads,
            int qualifiedLeads) {
    }

    /** One agent of GET /api/analytics/agents (the agent_performance_summary view). */
    public record AgentPerformance(UUID agentId, String agentName, UUID userId, long todayCalls,
            long todaySuccessfulCalls, BigDecimal todaySuccessRate, long todayLeads, long todayCtaInteractions,
            BigDecimal todayCtaConversionRate, long monthCalls, long monthSuccessfulCalls, BigDecimal monthSuccessRate,
            long monthLeads, BigDecimal monthConversionRate, long monthCtaInteractions,
            BigDecimal monthCtaConversionRate, long totalCalls, long totalSuccessfulCalls, BigDecimal totalSuccessRate,
            long totalLeads, @Schema(description = "seconds") BigDecimal avgCallDuration, long totalCtaInteractions,
            BigDecimal totalCtaConversionRate, long totalPricingClicks, long totalDemoClicks, long totalFollowupClicks,
            long totalSampleClicks, long totalHumanEscalations) {
    }

    /** One call source of GET /api/analytics/sources (the call_source_analytics view). */
    public record CallSourceStats(UUID userId, @Schema(example = "phone") String callSource, long totalCalls,
            long completedCalls, long failedCalls, BigDecimal successRate, BigDecimal avgDurationMinutes,
            long totalCreditsUsed, Instant firstCallDate, Instant lastCallDate) {
    }

    /** GET /api/analytics/leads. */
    public record LeadsAnalytics(List<ScoreBucket> scoreDistribution, List<StatusTagCount> statusTags,
            CtaFunnel ctaFunnel) {
    }

    /** Individual analyses with a total score in [bucketFrom, bucketFrom + 10) (90 includes 100). */
    public record ScoreBucket(int bucketFrom, long leads) {
    }

    public record StatusTagCount(@Schema(example = "Hot") String leadStatusTag, long leads) {
    }

    /** Individual analyses, and how many of them clicked each call to action. */
    public record CtaFunnel(long analysed, long pricing, long demo, long followup, long sample, long human) {
    }

    /** A goal of an agent for a period, with what the agent achieved in it. */
    public record Target(UUID id, LocalDate targetDate, @Schema(allowableValues = { "daily", "weekly", "monthly" })
            String targetType, Integer targetCalls, BigDecimal targetSuccessRate, Integer targetLeads,
            BigDecimal targetConversionRate, int achievedCalls, int achievedSuccessful, int achievedLeads,
            int achievedQualified, double achievedSuccessRate, double achievedConversionRate,
            @Schema(description = "mean of the set goals' achievement, each capped at 100") double achievementPercentage) {
    }

    /** An agent's change against the previous period (agent_performance_trends). */
    public record Trend(LocalDate periodStart, LocalDate periodEnd, String periodType, BigDecimal callsChangePercent,
            BigDecimal successRateChangePercent, BigDecimal conversionRateChangePercent,
            BigDecimal avgDurationChangePercent, Integer performanceRank, Integer totalAgentsCount) {
    }

    /** GET /api/analytics/agents/{id}/outcomes. */
    public record OutcomeSummary(UUID agentId, LocalDate from, LocalDate to, int calls,
            @Schema(description = "calls per outcome: completed, no_answer, busy, failed, voicemail, disconnected")
            Map<String, Integer> outcomes,
            int qualifiedLeads,
            @Schema(description = "analysed calls per temperature: hot, warm, cold, not_interested")
            Map<String, Integer> leadTemperature,
            int followUpsRequired, List<RecentOutcome> recent) {
    }

    public record RecentOutcome(UUID callId, String outcome, Boolean isQualifiedLead, String leadTemperature,
            Boolean followUpRequired, LocalDate followUpDate, String nextSteps, Instant createdAt) {
    }
}
