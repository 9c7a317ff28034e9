package ai.calling.analytics;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;

@RestController
class AnalyticsController {

    private final AnalyticsService analytics;
    private final AgentTargetsService targets;
    private final CallOutcomes outcomes;

    AnalyticsController(AnalyticsService analytics, AgentTargetsService targets, CallOutcomes outcomes) {
        this.analytics = analytics;
        this.targets = targets;
        this.outcomes = outcomes;
    }

    @PostMapping("/api/agents/{id}/targets")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> createTarget(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id,
            @Valid @RequestBody AgentTargetsService.NewTarget body) {
        return targets.create(user.id(), id, body);
    }

    @GetMapping("/api/agents/{id}/targets")
    List<Map<String, Object>> targets(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id) {
        return targets.list(user.id(), id);
    }

    @DeleteMapping("/api/agents/{id}/targets/{targetId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteTarget(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id,
            @PathVariable UUID targetId) {
        targets.delete(user.id(), id, targetId);
    }

    @GetMapping("/api/analytics/agents/{id}/trends")
    List<Map<String, Object>> trends(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id) {
        return targets.trends(user.id(), id);
    }

    @GetMapping("/api/analytics/agents/{id}/outcomes")
    Map<String, Object> outcomes(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestParam(required = false) LocalDate from, @RequestParam(required = false) LocalDate to) {
        return outcomes.summary(user.id(), id, from, to);
    }

    @GetMapping("/api/dashboard/overview")
    Map<String, Object> overview(@AuthenticationPrincipal CurrentUser user) {
        return analytics.overview(user.id());
    }

    @GetMapping("/api/analytics/calls")
    List<Map<String, Object>> calls(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) LocalDate from,
            @RequestParam(required = false) LocalDate to, @RequestParam(required = false) String granularity) {
        return analytics.callSeries(user.id(), from, to, granularity);
    }

    @GetMapping("/api/analytics/agents")
    List<Map<String, Object>> agents(@AuthenticationPrincipal CurrentUser user) {
        return analytics.agents(user.id());
    }

    @GetMapping("/api/analytics/sources")
    List<Map<String, Object>> sources(@AuthenticationPrincipal CurrentUser user) {
        return analytics.sources(user.id());
    }

    @GetMapping("/api/analytics/leads")
    Map<String, Object> leads(@AuthenticationPrincipal CurrentUser user) {
        return analytics.leads(user.id());
    }
}
