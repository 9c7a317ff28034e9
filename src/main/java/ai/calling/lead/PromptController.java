package ai.calling.lead;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;
import ai.calling.lead.PromptService.Prompts;
import ai.calling.lead.internal.OpenAiAnalyzer.PromptCheck;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

/** OpenAI prompt configuration, at the original system's paths. */
@RestController
@RequestMapping("/api/openai-prompts")
class PromptController {

    private final PromptService prompts;

    PromptController(PromptService prompts) {
        this.prompts = prompts;
    }

    @Operation(summary = "Your analysis prompts")
    @GetMapping("/my-prompts")
    Prompts mine(@AuthenticationPrincipal CurrentUser user) {
        return prompts.prompts(user.id());
    }

    @Operation(summary = "Set your analysis prompts")
    @RequiresTeamRole(TeamRole.ADMIN)
    @PutMapping("/my-prompts")
    Prompts setMine(@AuthenticationPrincipal CurrentUser user, @RequestBody PromptIdsBody body) {
        return prompts.set(user.id(), body.individualPromptId(), body.completePromptId());
    }

    @Operation(summary = "Check a prompt id with OpenAI")
    @RequiresTeamRole(TeamRole.ADMIN)
    @PostMapping("/validate")
    PromptCheck validate(@RequestBody ValidateBody body) {
        return prompts.validate(body.promptId());
    }

    @Operation(summary = "Read an account's analysis prompts")
    @RequiresTeamRole(TeamRole.VIEWER)
    @GetMapping("/admin/users/{userId}/prompts")
    Prompts ofUser(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID userId) {
        return prompts.promptsForAdmin(admin, userId);
    }

    @Operation(summary = "Set an account's analysis prompts")
    @RequiresTeamRole(TeamRole.VIEWER)
    @PutMapping("/admin/users/{userId}/prompts")
    Prompts setOfUser(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID userId,
            @RequestBody PromptIdsBody body, HttpServletRequest request) {
        return prompts.setForUser(admin, userId, body.individualPromptId(), body.completePromptId(), request);
    }

    record PromptIdsBody(String individualPromptId, String completePromptId) {
    }

    record ValidateBody(String promptId) {
    }
}
