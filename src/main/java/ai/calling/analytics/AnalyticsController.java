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

    AnalyticsController(AnalyticsService analytics) {
        this.analytics = analytics;
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
