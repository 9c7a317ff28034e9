package ai.calling.campaign.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** A campaigns row as stored (days are ISO numbers, 1 = Monday). */
public record CampaignRow(UUID id, UUID userId, UUID agentId, String name, String status, String pauseReason,
        String timezone, LocalTime windowStart, LocalTime windowEnd, List<Integer> windowDays, int maxConcurrentCalls,
        int retryMaxAttempts, List<String> retryOn, int retryDelayMinutes, Instant startedAt, Instant completedAt,
        Instant cancelledAt, Instant createdAt, Instant updatedAt, UUID createdBy) {

    public CallingWindow window() {
        return new CallingWindow(windowStart, windowEnd, windowDays.stream().map(DayOfWeek::of)
                .collect(Collectors.toSet()));
    }
}
