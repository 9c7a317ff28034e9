package ai.calling.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import ai.calling.call.CallLifecycle.CallCompleted;
import ai.calling.call.CallLifecycle.CallsCompleted;
import ai.calling.common.ApiException;
import ai.calling.analytics.AnalyticsDtos.AgentPerformance;
import ai.calling.analytics.AnalyticsDtos.CallPeriod;
import ai.calling.analytics.AnalyticsDtos.CallSourceStats;
import ai.calling.analytics.AnalyticsDtos.LeadsAnalytics;
import ai.calling.analytics.AnalyticsDtos.Overview;
import ai.calling.analytics.internal.DashboardQueries;
import ai.calling.lead.LeadAnalysisCompleted;

/**
 * The user's dashboards, read from the trigger-maintained daily rollups (user_analytics,
 * agent_analytics) and the reporting views: exact and cheap at any call volume. Windows are UTC
 * days: the last 30 and 7 days including today. Answers are cached per user for 30 seconds and
 * evicted as soon as one of the user's calls ends or is analysed.
 */
@Service
public class AnalyticsService {

    static final Set<String> GRANULARITIES = Set.of("day", "week", "month");

    private final DashboardQueries queries;
    private final Clock clock;
    private final Cache<String, Object> cache = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(30))
            .maximumSize(50_000).build();

    AnalyticsService(DashboardQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    public Overview overview(UUID userId) {
        boolean[] computedNow = { false };
        Overview cached = (Overview) cache.get(userId + ":overview", key -> {
            computedNow[0] = true;
            return queries.overview(userId, today());
        });
        // the balance is always live: it is the one figure users check right after paying
        if (!computedNow[0]) {
            return cached.withCreditsRemaining(queries.balance(userId));
        }
        return cached;
    }

    public List<CallPeriod> callSeries(UUID userId, LocalDate from, LocalDate to, String granularity) {
        String unit = granularity == null ? "day" : granularity;
        if (!GRANULARITIES.contains(unit)) {
            throw ApiException.invalidField("granularity", "must be day, week or month");
        }
        DateRange range = DateRange.of(from, to, clock);
        LocalDate start = range.start();
        LocalDate end = range.end();
        return cached(userId + ":series:" + start + ":" + end + ":" + unit,
                () -> queries.callSeries(userId, start, end, unit));
    }

    public List<AgentPerformance> agents(UUID userId) {
        return cached(userId + ":agents", () -> queries.agents(userId));
    }

    public List<CallSourceStats> sources(UUID userId) {
        return cached(userId + ":sources", () -> queries.sources(userId));
    }

    public LeadsAnalytics leads(UUID userId) {
        return cached(userId + ":leads", () -> new LeadsAnalytics(queries.scoreBuckets(userId),
                queries.statusTags(userId), queries.ctaFunnel(userId)));
    }

    /**
     * Evicted before the commit as well as after it: a reader who sees the committed call (as the
     * webhook's own client may, at once) must not be served the overview cached before it, and the
     * after-commit eviction drops what was cached from the old state in between. Each account of the
     * batch once.
     */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void callsEnding(CallsCompleted calls) {
        users(calls).forEach(this::evict);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void callsEnded(CallsCompleted calls) {
        users(calls).forEach(this::evict);
    }

    private static Set<UUID> users(CallsCompleted calls) {
        return calls.calls().stream().map(CallCompleted::userId).collect(Collectors.toSet());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void analysed(LeadAnalysisCompleted analysis) {
        evict(analysis.userId());
    }

    public void evict(UUID userId) {
        String prefix = userId + ":";
        cache.asMap().keySet().removeIf(key -> key.startsWith(prefix));
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String key, Supplier<T> compute) {
        return (T) cache.get(key, k -> compute.get());
    }

    private LocalDate today() {
        return DateRange.today(clock);
    }
}
