package ai.calling.analytics;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;

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

import ai.calling.analytics.AnalyticsDtos.AgentPerformance;
import ai.calling.analytics.AnalyticsDtos.CallPeriod;
import ai.calling.analytics.AnalyticsDtos.CallSourceStats;
import ai.calling.analytics.AnalyticsDtos.LeadsAnalytics;
import ai.calling.analytics.AnalyticsDtos.OutcomeSummary;
import ai.calling.analytics.AnalyticsDtos.Overview;
import ai.calling.analytics.AnalyticsDtos.Target;
import ai.calling.analytics.AnalyticsDtos.Trend;
import ai.calling.common.ReportingRead;
import ai.calling.common.CurrentUser;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

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

    @Operation(summary = "Set a goal for an agent")
    @RequiresTeamRole(TeamRole.ADMIN)
    @PostMapping("/api/agents/{id}/targets")
    @ResponseStatus(HttpStatus.CREATED)
    Target createTarget(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id,
            @Valid @RequestBody AgentTargetsService.NewTarget body) {
        return targets.create(user.id(), id, body);
    }

    @Operation(summary = "An agent's goals and what it achieved")
    @GetMapping("/api/agents/{id}/targets")
    List<Target> targets(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id) {
        return targets.list(user.id(), id);
    }

    @Operation(summary = "Delete an agent's goal")
    @RequiresTeamRole(TeamRole.ADMIN)
    @DeleteMapping("/api/agents/{id}/targets/{targetId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteTarget(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id,
            @PathVariable UUID targetId) {
        targets.delete(user.id(), id, targetId);
    }

    @Operation(summary = "An agent's period-over-period trends")
    @ReportingRead
    @GetMapping("/api/analytics/agents/{id}/trends")
    List<Trend> trends(@AuthenticationPrincipal CurrentUser user,
            @PathVariable UUID id) {
        return targets.trends(user.id(), id);
    }

    @Operation(summary = "How an agent's calls ended")
    @ReportingRead
    @GetMapping("/api/analytics/agents/{id}/outcomes")
    OutcomeSummary outcomes(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestParam(required = false) LocalDate from, @RequestParam(required = false) LocalDate to) {
        return outcomes.summary(user.id(), id, from, to);
    }

    @Operation(summary = "The dashboard's figures")
    @ReportingRead
    @GetMapping("/api/dashboard/overview")
    Overview overview(@AuthenticationPrincipal CurrentUser user) {
        return analytics.overview(user.id());
    }

    @Operation(summary = "Calls per day, week or month")
    @ReportingRead
    @GetMapping("/api/analytics/calls")
    List<CallPeriod> calls(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) LocalDate from,
            @RequestParam(required = false) LocalDate to, @RequestParam(required = false) String granularity) {
        return analytics.callSeries(user.id(), from, to, granularity);
    }

    @Operation(summary = "Performance per agent")
    @ReportingRead
    @GetMapping("/api/analytics/agents")
    List<AgentPerformance> agents(@AuthenticationPrincipal CurrentUser user) {
        return analytics.agents(user.id());
    }

    @Operation(summary = "Calls per call source")
    @ReportingRead
    @GetMapping("/api/analytics/sources")
    List<CallSourceStats> sources(@AuthenticationPrincipal CurrentUser user) {
        return analytics.sources(user.id());
    }

    @Operation(summary = "Lead scores, status tags and calls to action")
    @ReportingRead
    @GetMapping("/api/analytics/leads")
    LeadsAnalytics leads(@AuthenticationPrincipal CurrentUser user) {
        return analytics.leads(user.id());
    }
}
