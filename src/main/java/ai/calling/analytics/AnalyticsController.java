package ai.calling.analytics;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;

@RestController
class AnalyticsController {

    private final AnalyticsService analytics;
    private final AgentTargetsService targets;

    AnalyticsController(AnalyticsService analytics, AgentTargetsService targets) {
        this.analytics = analytics;
        this.targets = targets;
    }

    @org.springframework.web.bind.annotation.PostMapping("/api/agents/{id}/targets")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    Map<String, Object> createTarget(@AuthenticationPrincipal CurrentUser user,
            @org.springframework.web.bind.annotation.PathVariable java.util.UUID id,
            @jakarta.validation.Valid @org.springframework.web.bind.annotation.RequestBody AgentTargetsService.NewTarget body) {
        return targets.create(user.id(), id, body);
    }

    @GetMapping("/api/agents/{id}/targets")
    List<Map<String, Object>> targets(@AuthenticationPrincipal CurrentUser user,
            @org.springframework.web.bind.annotation.PathVariable java.util.UUID id) {
        return targets.list(user.id(), id);
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/api/agents/{id}/targets/{targetId}")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    void deleteTarget(@AuthenticationPrincipal CurrentUser user,
            @org.springframework.web.bind.annotation.PathVariable java.util.UUID id,
            @org.springframework.web.bind.annotation.PathVariable java.util.UUID targetId) {
        targets.delete(user.id(), id, targetId);
    }

    @GetMapping("/api/analytics/agents/{id}/trends")
    List<Map<String, Object>> trends(@AuthenticationPrincipal CurrentUser user,
            @org.springframework.web.bind.annotation.PathVariable java.util.UUID id) {
        return targets.trends(user.id(), id);
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
