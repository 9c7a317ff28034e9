package ai.calling.analytics;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.ReportingRead;
import ai.calling.common.CurrentUser;

@RestController
class CampaignResultsController {

    private final CampaignResults results;

    CampaignResultsController(CampaignResults results) {
        this.results = results;
    }

    @Operation(summary = "A campaign's results")
    @ReportingRead
    @GetMapping("/api/analytics/campaigns/{id}")
    CampaignResults.Results results(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return results.of(user.id(), id);
    }
}
